import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';

/**
 * The tags of the OpenAPI document, in the order Swagger UI shows them. Every operation's tag must be
 * declared here with a description (a test checks it, as `spectral lint` with `spectral:oas` would).
 */
export const API_TAGS: readonly (readonly [name: string, description: string])[] = [
  ['health', 'Liveness and database check.'],
  ['auth', 'Log in for a bearer token.'],
  ['admin', 'Users (admin only).'],
  ['funds', 'Funds and their life-to-date loss tolerance (容亏率).'],
  ['cases', 'Investment cases: the workflow, its events, history and the exemption review record (尽职免责).'],
  ['tasks', 'Review queues: open tasks per role, claim and release.'],
  ['audit', 'The hash-chained decision history across cases: query, verify, export (审计).'],
  ['policies', 'The business policies in force (versioned YAML under config/).'],
  ['evidence', 'Evidence files of a case (证据材料): upload, list, download; each upload is on the case chain with its SHA-256.'],
  ['documents', 'Issued documents (决议、认定书、公示、评价报告): numbered PDFs from the record, and their verification.'],
];

/**
 * Builds the document served at /api/docs-json: every operation has a summary and a description (its
 * summary unless the route gives a longer one), its tag is declared, and `servers` names this server.
 */
export function createOpenApiDocument(app: INestApplication): OpenAPIObject {
  const builder = new DocumentBuilder()
    .setTitle('Patient-capital investment workflow API')
    .setDescription(
      'Investment cases from proposal to exit (XState workflow), the due-diligence exemption review (尽职免责), ' +
        'review queues and a tamper-evident decision history. Money is integer fen; timestamps are ISO-8601 UTC. ' +
        'Every error body is { statusCode, error, message, messageZh?, details?, requestId }.',
    )
    .setVersion('1')
    .addServer('/', 'This server (paths start with /api)')
    .addBearerAuth();
  for (const [name, description] of API_TAGS) builder.addTag(name, description);
  const doc = SwaggerModule.createDocument(app, builder.build());
  for (const item of Object.values(doc.paths)) {
    for (const method of ['get', 'put', 'post', 'delete', 'patch'] as const) {
      const op = item[method];
      if (op && !op.description && op.summary) op.description = op.summary;
    }
  }
  return doc;
}
