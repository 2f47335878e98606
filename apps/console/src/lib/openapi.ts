import { useQuery } from '@tanstack/react-query';

/** The subset of JSON Schema the API's OpenAPI document uses for request bodies. */
export interface JsonSchema {
  $ref?: string;
  type?: string;
  format?: string;
  enum?: (string | number)[];
  description?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  allOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  discriminator?: { propertyName: string; mapping?: Record<string, string> };
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  nullable?: boolean;
  example?: unknown;
}

export interface OpenApiDocument {
  paths: Record<string, Record<string, { requestBody?: { content?: Record<string, { schema?: JsonSchema }> } }>>;
  components?: { schemas?: Record<string, JsonSchema> };
}

/** The API's OpenAPI document, read at run time: event forms follow the API without a rebuild. */
export function useOpenApi() {
  return useQuery({
    queryKey: ['openapi'],
    queryFn: async () => {
      const res = await fetch('/api/docs-json');
      if (!res.ok) throw new Error(`GET /api/docs-json: ${res.status}`);
      return (await res.json()) as OpenApiDocument;
    },
    staleTime: Infinity,
  });
}

/** Follows `$ref`s and merges `allOf` into one object schema. */
export function resolveSchema(doc: OpenApiDocument, schema: JsonSchema | undefined): JsonSchema {
  if (!schema) return {};
  if (schema.$ref) {
    const name = schema.$ref.replace('#/components/schemas/', '');
    return resolveSchema(doc, doc.components?.schemas?.[name]);
  }
  if (schema.allOf) {
    const parts = schema.allOf.map((s) => resolveSchema(doc, s));
    return {
      ...schema,
      allOf: undefined,
      type: 'object',
      properties: Object.assign({}, ...parts.map((p) => p.properties ?? {}), schema.properties ?? {}) as Record<string, JsonSchema>,
      required: [...new Set(parts.flatMap((p) => p.required ?? []).concat(schema.required ?? []))],
    };
  }
  return schema;
}

/** The schema of one event's body (`POST /api/cases/{id}/events`, by its `type`). */
export function eventSchema(doc: OpenApiDocument, type: string): JsonSchema | null {
  const body = doc.paths['/api/cases/{id}/events']?.post?.requestBody?.content?.['application/json']?.schema;
  if (!body) return null;
  const ref = body.discriminator?.mapping?.[type];
  if (ref) return resolveSchema(doc, { $ref: ref });
  for (const candidate of body.oneOf ?? []) {
    const s = resolveSchema(doc, candidate);
    const t = s.properties?.type;
    if (t?.enum?.length === 1 && t.enum[0] === type) return s;
  }
  return null;
}
