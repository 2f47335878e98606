import { bootTestApp, type TestApp } from '../support/test-app';

interface Operation {
  summary?: string;
  description?: string;
  operationId?: string;
  tags?: string[];
  responses?: Record<string, unknown>;
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'] as const;

/**
 * The served OpenAPI document has what `spectral lint` with the `spectral:oas` ruleset asks for (it
 * reported 0 warnings on it): servers, an info description and contact, and for every operation a
 * summary, a description, a unique operationId, a declared tag and a success response.
 */
describe('the OpenAPI document', () => {
  let t: TestApp;
  let doc: {
    info: { description?: string; contact?: object };
    servers?: { url: string }[];
    tags?: { name: string; description?: string }[];
    paths: Record<string, Partial<Record<(typeof METHODS)[number], Operation>>>;
  };
  let operations: { where: string; op: Operation }[];
  beforeAll(async () => {
    t = await bootTestApp();
    doc = (await t.http().get('/api/docs-json')).body;
    operations = Object.entries(doc.paths).flatMap(([path, item]) =>
      METHODS.flatMap((m) => (item[m] ? [{ where: `${m.toUpperCase()} ${path}`, op: item[m] }] : [])),
    );
  });
  afterAll(() => t.close());

  it('names its servers and has an info description and contact (oas3-api-servers, info-description, info-contact)', () => {
    expect(doc.servers?.length).toBeGreaterThan(0);
    for (const s of doc.servers ?? []) expect(s.url).toEqual(expect.any(String));
    expect(doc.info.description).toEqual(expect.stringMatching(/\S/));
    expect(doc.info.contact).toBeDefined();
  });

  it('gives every operation a summary and a description (operation-description)', () => {
    expect(operations.length).toBeGreaterThan(10);
    const missing = operations.filter(({ op }) => !op.summary?.trim() || !op.description?.trim()).map((o) => o.where);
    expect(missing).toEqual([]);
  });

  it('declares every operation tag, with a description (operation-tags, operation-tag-defined; declare new ones in apps/api/src/openapi.ts)', () => {
    const declared = new Map((doc.tags ?? []).map((tag) => [tag.name, tag.description]));
    expect(declared.size).toBe((doc.tags ?? []).length);
    for (const description of declared.values()) expect(description).toEqual(expect.stringMatching(/\S/));
    const untagged = operations.filter(({ op }) => !op.tags?.length).map((o) => o.where);
    expect(untagged).toEqual([]);
    const undeclared = operations.flatMap(({ where, op }) =>
      (op.tags ?? []).filter((tag) => !declared.has(tag)).map((tag) => `${where}: ${tag}`),
    );
    expect(undeclared).toEqual([]);
  });

  it('gives every operation a unique operationId and a success response (operation-operationId-unique, operation-success-response)', () => {
    const ids = operations.map(({ op }) => op.operationId);
    expect(ids.every((id) => typeof id === 'string' && id.length > 0)).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    const noSuccess = operations
      .filter(({ op }) => !Object.keys(op.responses ?? {}).some((code) => /^[23]/.test(code)))
      .map((o) => o.where);
    expect(noSuccess).toEqual([]);
  });
});
