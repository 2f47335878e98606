import { request as httpRequest } from 'node:http';
import { bootTestApp, type TestApp } from '../support/test-app';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** A raw request, so that a URL with a broken percent-encoding reaches the server as sent. */
function rawGet(url: string, path: string): Promise<{ status: number; headers: Record<string, unknown>; body: any }> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: u.hostname, port: u.port, method: 'GET', path }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: JSON.parse(Buffer.concat(chunks).toString()) }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

/** What the HTTP adapter itself answers: every refusal in the contract's error body, with the request id. */
describe('the HTTP adapter: errors before a handler, request ids, request logs, docs', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await bootTestApp({ env: { LOG_LEVEL: 'info' } });
  });
  afterAll(() => t.close());

  const expectContractError = (res: { status: number; headers: Record<string, unknown>; body: any }, status: number) => {
    expect(res.status).toBe(status);
    expect(res.body).toEqual({
      statusCode: status,
      error: expect.any(String),
      message: expect.stringMatching(/\.$/),
      messageZh: expect.any(String),
      requestId: res.headers['x-request-id'],
    });
    expect(res.body.requestId).toEqual(expect.any(String));
  };

  it('answers an unknown route with a 404 naming it', async () => {
    const res = await t.http().post('/api/nothing/here').send({});
    expectContractError(res, 404);
    expect(res.body.message).toBe('Cannot POST /api/nothing/here: there is no such endpoint; see /api/docs.');
  });

  it('answers a URL with a broken percent-encoding with a 400', async () => {
    const { auth } = await t.as('auditor_1');
    const res = await rawGet(t.api.url, '/api/funds/%E0%A4%A');
    expectContractError(res, 400);
    expect(res.body.message).toMatch(/percent-encoding/);
    // Authenticated or not, the URL is refused before anything else looks at it.
    expect((await t.http().get('/api/funds/%E0%A4%A').set(auth)).status).toBe(400);
  });

  it('answers a body over 1 MiB with a 413, and a body that is not JSON with a 415', async () => {
    const big = await t
      .http()
      .post('/api/auth/login')
      .send({ username: 'auditor_1', password: 'x'.repeat(1024 * 1024) });
    expectContractError(big, 413);
    const text = await t.http().post('/api/auth/login').set('Content-Type', 'text/plain').send('username=auditor_1');
    expectContractError(text, 415);
    expect(text.body.message).toMatch(/application\/json/);
    const form = await t.http().post('/api/auth/login').type('form').send({ username: 'auditor_1', password: 'demo-password' });
    expectContractError(form, 415);
  });

  it('reads an empty JSON body as an empty object (validation answers), and malformed JSON as a 400', async () => {
    const empty = await t.http().post('/api/auth/login').set('Content-Type', 'application/json').send('');
    expect(empty.status).toBe(400);
    expect(empty.body.details.errors).toEqual(expect.arrayContaining(['username must be a string', 'password must be a string']));
    const broken = await t.http().post('/api/auth/login').set('Content-Type', 'application/json').send('{"username":');
    expectContractError(broken, 400);
    expect(broken.body.message).toMatch(/not valid JSON/);
  });

  it('refuses a body nested deeper than 32 levels, and __proto__ / constructor / prototype keys, with a 400 saying so', async () => {
    const deep = await t
      .http()
      .post('/api/auth/login')
      .set('Content-Type', 'application/json')
      .send(`{"username":${'['.repeat(3000)}${']'.repeat(3000)},"password":"x"}`);
    expectContractError(deep, 400);
    expect(deep.body.message).toMatch(/more than 32 levels deep/);
    for (const key of ['__proto__', 'constructor', 'prototype']) {
      const res = await t
        .http()
        .post('/api/auth/login')
        .set('Content-Type', 'application/json')
        .send(`{"username":"auditor_1","password":"demo-password","x":{"${key}":{"isAdmin":true}}}`);
      expectContractError(res, 400);
      expect(res.body.message).toContain(`"x.${key}"`);
    }
  });

  it('sends the security headers on every response, and Cache-Control: no-store on the API', async () => {
    const { auth } = await t.as('auditor_1');
    const expectHeaders = (res: { headers: Record<string, unknown> }) => {
      const csp = String(res.headers['content-security-policy']);
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).not.toContain('upgrade-insecure-requests');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['x-frame-options']).toBe('DENY');
      expect(res.headers['referrer-policy']).toBe('no-referrer');
    };
    for (const res of [
      await t.http().get('/api/health'),
      await t.http().get('/api/funds').set(auth),
      await t.http().get('/api/funds'),
      await t.http().get('/api/nothing'),
      await rawGet(t.api.url, '/api/funds/%E0%A4%A'),
    ]) {
      expectHeaders(res);
      expect(res.headers['cache-control']).toBe('no-store');
    }
    const page = await t.http().get('/');
    if (page.status === 200) {
      // The console (when built): the same policy, its own caching.
      expectHeaders(page);
      expect(page.headers['cache-control']).toBe('no-cache');
    }
  });

  it('answers 400 with the validation errors listed in details', async () => {
    const res = await t.http().post('/api/auth/login').send({ username: 'auditor_1' });
    expect(res.status).toBe(400);
    expect(res.body.details.errors).toEqual(expect.arrayContaining([expect.stringMatching(/password/)]));
  });

  it('echoes a sane x-request-id, replaces a bad one with a UUID, and logs each request with its id', async () => {
    const given = await t.http().get('/api/health').set('x-request-id', 'adapter-trace-1');
    expect(given.headers['x-request-id']).toBe('adapter-trace-1');
    const bad = await t.http().get('/api/health').set('x-request-id', 'has spaces and {braces}');
    expect(bad.headers['x-request-id']).toMatch(UUID);
    const none = await t.http().get('/api/nothing').set('x-request-id', 'adapter-trace-2');
    expect(none.body.requestId).toBe('adapter-trace-2');
    // A log line written while serving (the refused login) and the request line both carry the id.
    await t
      .http()
      .post('/api/auth/login')
      .set('x-request-id', 'adapter-trace-3')
      .send({ username: 'auditor_1', password: 'wrong-password' });
    type Line = { requestId?: string; msg?: string; status?: number; url?: string };
    const logged = () =>
      t.api
        .output()
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as Line);
    // The lines reach this process through a pipe, after the responses: wait for them (10 s at most).
    const third = () => logged().filter((l) => l.requestId === 'adapter-trace-3');
    for (const deadline = Date.now() + 10_000; third().length < 2 && Date.now() < deadline;) await new Promise((r) => setTimeout(r, 50));
    const lines = logged();
    expect(lines).toContainEqual(
      expect.objectContaining({ requestId: 'adapter-trace-1', msg: 'request completed', status: 200, url: '/api/health' }),
    );
    expect(lines).toContainEqual(expect.objectContaining({ requestId: 'adapter-trace-2', msg: 'request completed', status: 404 }));
    expect(third()).toContainEqual(expect.objectContaining({ msg: 'request completed', status: 401 }));
    expect(third().some((l) => l.msg !== 'request completed')).toBe(true);
  });

  it('serves the Swagger UI and its assets', async () => {
    const ui = await t.http().get('/api/docs');
    expect(ui.status).toBe(200);
    expect(ui.headers['content-type']).toMatch(/text\/html/);
    const css = await t.http().get('/api/docs/swagger-ui.css');
    expect(css.status).toBe(200);
    const doc = await t.http().get('/api/docs-json');
    expect(doc.status).toBe(200);
    expect(doc.body.openapi).toMatch(/^3\./);
  });
});
