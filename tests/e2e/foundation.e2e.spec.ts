import { sign } from 'jsonwebtoken';
import { bootTestApp, TEST_JWT_SECRET, type TestApp } from '../support/test-app';

describe('foundation: health, auth, errors, docs', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await bootTestApp();
  });
  afterAll(() => t.close());

  const expectErrorBody = (body: Record<string, unknown>, status: number) => {
    expect(body).toEqual(
      expect.objectContaining({
        statusCode: status,
        error: expect.any(String),
        message: expect.any(String),
        requestId: expect.any(String),
      }),
    );
    expect(body).not.toHaveProperty('stack');
    expect(JSON.stringify(body)).not.toMatch(/at .*\.(ts|js):\d+/);
  };

  it('answers health without a token', async () => {
    const res = await t.http().get('/api/health');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok', db: 'up', pool: 'ok' });
  });

  it('logs a demo user in and returns a token and the user with roles', async () => {
    const res = await t.http().post('/api/auth/login').send({ username: 'committee_member_3', password: 'demo-password' });
    expect(res.status).toBe(200);
    expect(res.body.accessToken).toEqual(expect.any(String));
    expect(res.body.user).toEqual({
      id: expect.any(String),
      username: 'committee_member_3',
      displayName: expect.any(String),
      roles: ['committee_member'],
    });
  });

  it('creates at least one demo user per role', async () => {
    const { auth } = await t.as('admin_1');
    const res = await t.http().get('/api/users').set(auth);
    const names = res.body.map((u: { username: string }) => u.username);
    for (const role of [
      'investment_manager',
      'department_head',
      'risk_officer',
      'legal_officer',
      'committee_chair',
      'compliance_officer',
      'auditor',
      'admin',
    ]) {
      expect(names).toContain(`${role}_1`);
    }
    for (let i = 1; i <= 5; i++) expect(names).toContain(`committee_member_${i}`);
  });

  it('refuses a wrong password and an unknown user with the same 401', async () => {
    const bad = await t.http().post('/api/auth/login').send({ username: 'auditor_1', password: 'wrong-password' });
    const unknown = await t.http().post('/api/auth/login').send({ username: 'nobody_here', password: 'demo-password' });
    expect(bad.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(bad.body.message).toBe(unknown.body.message);
    expectErrorBody(bad.body, 401);
  });

  it('answers 401 without a token, with a malformed header and with a bad or expired token', async () => {
    expect((await t.http().get('/api/funds')).status).toBe(401);
    expect((await t.http().get('/api/funds').set('Authorization', 'Basic abc')).status).toBe(401);
    const { token } = await t.as('auditor_1');
    const tampered = token.slice(0, -3) + (token.endsWith('aaa') ? 'bbb' : 'aaa');
    const res = await t.http().get('/api/funds').set('Authorization', `Bearer ${tampered}`);
    expect(res.status).toBe(401);
    expectErrorBody(res.body, 401);
    const expired = sign(
      {
        sub: '00000000-0000-4000-8000-000000000001',
        username: 'x',
        displayName: 'x',
        roles: ['auditor'],
        exp: Math.floor(Date.now() / 1000) - 10,
      },
      TEST_JWT_SECRET,
    );
    const exp = await t.http().get('/api/funds').set('Authorization', `Bearer ${expired}`);
    expect(exp.status).toBe(401);
    expect(exp.body.message).toMatch(/expired/);
  });

  it('answers 403 when the role may not do this', async () => {
    const { auth } = await t.as('investment_manager_1');
    const res = await t.http().post('/api/funds').set(auth).send({ name: 'X', type: 'seed', sizeFen: 1, vintageYear: 2025, termYears: 10 });
    expect(res.status).toBe(403);
    expectErrorBody(res.body, 403);
    const admin = await t.as('admin_1');
    expect((await t.http().get('/api/cases').set(admin.auth)).status).toBe(403);
  });

  it('answers 400 for an unknown field, and changes nothing', async () => {
    const { auth } = await t.as('admin_1');
    const before = (await t.http().get('/api/funds').set(auth)).body.length;
    const res = await t
      .http()
      .post('/api/funds')
      .set(auth)
      .send({ name: 'New fund', type: 'seed', sizeFen: 100, vintageYear: 2025, termYears: 10, isAdmin: true });
    expect(res.status).toBe(400);
    expectErrorBody(res.body, 400);
    expect(res.body.message).toMatch(/isAdmin should not exist/);
    expect((await t.http().get('/api/funds').set(auth)).body.length).toBe(before);
  });

  it('answers 400 for malformed JSON', async () => {
    const res = await t.http().post('/api/auth/login').set('Content-Type', 'application/json').send('{"username": "a",');
    expect(res.status).toBe(400);
    expectErrorBody(res.body, 400);
    expect(res.body.message).toMatch(/not valid JSON/);
  });

  it('answers 400 for a malformed id and 404 for an unknown one', async () => {
    const { auth } = await t.as('auditor_1');
    const bad = await t.http().get('/api/funds/not-a-uuid').set(auth);
    expect(bad.status).toBe(400);
    const missing = await t.http().get('/api/funds/00000000-0000-4000-8000-000000000000').set(auth);
    expect(missing.status).toBe(404);
    expectErrorBody(missing.body, 404);
  });

  it('answers 404 in the error format for an unknown route', async () => {
    const { auth } = await t.as('auditor_1');
    const res = await t.http().get('/api/nothing-here').set(auth);
    expect(res.status).toBe(404);
    expectErrorBody(res.body, 404);
  });

  it('lets an admin create a user and a fund, and refuses duplicates with 409', async () => {
    const { auth } = await t.as('admin_1');
    const user = await t
      .http()
      .post('/api/users')
      .set(auth)
      .send({ username: 'analyst_x', displayName: 'Analyst X', password: 'a-long-password!', roles: ['investment_manager'] });
    expect(user.status).toBe(201);
    expect(user.body).not.toHaveProperty('passwordHash');
    const dup = await t
      .http()
      .post('/api/users')
      .set(auth)
      .send({ username: 'analyst_x', displayName: 'Again', password: 'a-long-password!', roles: ['auditor'] });
    expect(dup.status).toBe(409);
    const login = await t.http().post('/api/auth/login').send({ username: 'analyst_x', password: 'a-long-password!' });
    expect(login.status).toBe(200);

    const fund = await t
      .http()
      .post('/api/funds')
      .set(auth)
      .send({ name: 'Hard-tech seed fund', type: 'seed', sizeFen: 10_000_000_000, vintageYear: 2026, termYears: 12 });
    expect(fund.status).toBe(201);
    expect(fund.body.tolerance).toEqual({
      policyVersion: expect.any(String),
      limitRate: 0.7,
      perProjectCeiling: 1,
      investedFen: 0,
      realizedLossFen: 0,
      lossRate: 0,
      withinTolerance: true,
    });
    const again = await t
      .http()
      .post('/api/funds')
      .set(auth)
      .send({ name: 'Hard-tech seed fund', type: 'seed', sizeFen: 1, vintageYear: 2026, termYears: 12 });
    expect(again.status).toBe(409);
    const bad = await t
      .http()
      .post('/api/funds')
      .set(auth)
      .send({ name: 'Bad', type: 'hedge', sizeFen: 1.5, vintageYear: 2026, termYears: 12 });
    expect(bad.status).toBe(400);
    expect(bad.body.details.errors.join(' ')).toMatch(/type/);
  });

  it('serves the OpenAPI document with every route, bearer auth and error responses', async () => {
    const res = await t.http().get('/api/docs-json');
    expect(res.status).toBe(200);
    const paths = Object.keys(res.body.paths);
    for (const p of [
      '/api/health',
      '/api/auth/login',
      '/api/funds',
      '/api/funds/{id}',
      '/api/cases',
      '/api/cases/{id}',
      '/api/cases/{id}/events',
      '/api/cases/{id}/history',
      '/api/tasks',
      '/api/tasks/{id}/claim',
      '/api/tasks/{id}/release',
    ]) {
      expect(paths).toContain(p);
    }
    const events = res.body.paths['/api/cases/{id}/events'].post;
    expect(Object.keys(events.responses)).toEqual(expect.arrayContaining(['200', '400', '401', '403', '404', '409', '422']));
    expect(res.body.components.securitySchemes.bearer).toBeDefined();
  });

  it('echoes a request id', async () => {
    const res = await t.http().get('/api/health').set('x-request-id', 'trace-123');
    expect(res.headers['x-request-id']).toBe('trace-123');
  });
});
