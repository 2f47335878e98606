import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { decode, sign } from 'jsonwebtoken';
import request from 'supertest';
import { ROOT } from '../support/global-setup';
import { bootTestApp, startApi, TEST_JWT_SECRET, type ApiProcess, type TestApp } from '../support/test-app';
import { asSuperuser } from '../support/test-database';

const PASSWORD = 'a-long-password-123';

/** Asks `probe` again until it returns true (another process learns of a change asynchronously). */
async function eventually(probe: () => Promise<boolean>, what: string, deadlineMs = 15_000): Promise<void> {
  const until = Date.now() + deadlineMs;
  while (!(await probe())) {
    if (Date.now() > until) throw new Error(`not within ${deadlineMs} ms: ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('sessions: the database decides who is signed in and with which roles', () => {
  let t: TestApp;
  let admin: { Authorization: string };
  let fundId: string;
  beforeAll(async () => {
    t = await bootTestApp();
    admin = (await t.as('admin_1')).auth;
    fundId = (await t.http().get('/api/funds').set(admin)).body[0].id;
  });
  afterAll(() => t.close());

  let counter = 0;
  /** A fresh user (not a demo user), logged in. */
  async function freshUser(roles: string[]) {
    const username = `sess_${Date.now().toString(36)}_${counter++}`;
    const created = await t.http().post('/api/users').set(admin).send({ username, displayName: username, password: PASSWORD, roles });
    expect(created.status).toBe(201);
    const login = await t.http().post('/api/auth/login').send({ username, password: PASSWORD });
    expect(login.status).toBe(200);
    return {
      id: created.body.id as string,
      username,
      auth: { Authorization: `Bearer ${login.body.accessToken}` },
      accessToken: login.body.accessToken as string,
      refreshToken: login.body.refreshToken as string,
    };
  }
  const newCase = (auth: { Authorization: string }) =>
    t.http().post('/api/cases').set(auth).send({ fundId, companyName: 'Acme', sector: 'robotics', requestedAmountFen: 100, summary: 's' });

  it('refuses a correctly signed token for a user that does not exist', async () => {
    const forged = sign(
      { sub: randomUUID(), sid: randomUUID(), username: 'ghost', displayName: 'Ghost', roles: ['admin', 'auditor'] },
      TEST_JWT_SECRET,
      { expiresIn: 600 },
    );
    const res = await t.http().get('/api/funds').set('Authorization', `Bearer ${forged}`);
    expect(res.status).toBe(401);
  });

  it('refuses a signed token that names a real user but no session of theirs', async () => {
    const me = await freshUser(['auditor']);
    const forged = sign({ sub: me.id, sid: randomUUID(), username: me.username, displayName: 'x', roles: ['auditor'] }, TEST_JWT_SECRET, {
      expiresIn: 600,
    });
    expect((await t.http().get('/api/funds').set('Authorization', `Bearer ${forged}`)).status).toBe(401);
  });

  it('login answers an access token that lives 15 minutes and a refresh token beside it', async () => {
    const res = await t.http().post('/api/auth/login').send({ username: 'auditor_1', password: 'demo-password' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      accessToken: expect.any(String),
      refreshToken: expect.any(String),
      accessTokenExpiresAt: expect.any(String),
      refreshTokenExpiresAt: expect.any(String),
      user: { id: expect.any(String), username: 'auditor_1', displayName: expect.any(String), roles: ['auditor'] },
    });
    const claims = decode(res.body.accessToken) as { iat: number; exp: number };
    expect(claims.exp - claims.iat).toBe(900);
    const sessionMs = Date.parse(res.body.refreshTokenExpiresAt) - Date.now();
    expect(sessionMs).toBeGreaterThan(11 * 3600_000); // a working day
  });

  it('deactivating a user stops their token at once and refuses their login; audited', async () => {
    const me = await freshUser(['investment_manager']);
    expect((await newCase(me.auth)).status).toBe(201);
    const off = await t.http().post(`/api/users/${me.id}/deactivate`).set(admin).send({ reason: 'left the firm' });
    expect(off.status).toBe(200);
    expect(off.body.active).toBe(false);
    expect((await newCase(me.auth)).status).toBe(401);
    expect((await t.http().post('/api/auth/refresh').send({ refreshToken: me.refreshToken })).status).toBe(401);
    expect((await t.http().post('/api/auth/login').send({ username: me.username, password: PASSWORD })).status).toBe(401);

    const auditor = await t.as('auditor_1');
    const entries = await t.http().get('/api/audit/events?type=USER_DEACTIVATED').set(auditor.auth);
    expect(entries.body.items).toEqual(
      expect.arrayContaining([expect.objectContaining({ payload: expect.objectContaining({ userId: me.id }), reason: 'left the firm' })]),
    );

    const on = await t.http().post(`/api/users/${me.id}/activate`).set(admin).send({ reason: 'came back' });
    expect(on.status).toBe(200);
    expect((await t.http().post('/api/auth/login').send({ username: me.username, password: PASSWORD })).status).toBe(200);
  });

  it('a user deactivated in the database directly loses access too', async () => {
    const me = await freshUser(['auditor']);
    expect((await t.http().get('/api/funds').set(me.auth)).status).toBe(200);
    await asSuperuser(t.db.name, (c) => c.query('UPDATE users SET active = false WHERE id = $1', [me.id]));
    await eventually(async () => (await t.http().get('/api/funds').set(me.auth)).status === 401, 'the token is refused');
  });

  it('roles come from the database: a removed role stops at once, an added one works; audited', async () => {
    const me = await freshUser(['investment_manager']);
    expect((await newCase(me.auth)).status).toBe(201);
    const changed = await t
      .http()
      .put(`/api/users/${me.id}/roles`)
      .set(admin)
      .send({ roles: ['auditor'], reason: 'moved to audit' });
    expect(changed.status).toBe(200);
    expect(changed.body.roles).toEqual(['auditor']);
    expect((await newCase(me.auth)).status).toBe(403);
    expect((await t.http().get('/api/audit/verify').set(me.auth)).status).toBe(200);

    const auditor = await t.as('auditor_1');
    const entries = await t.http().get('/api/audit/events?type=USER_ROLES_CHANGED').set(auditor.auth);
    expect(entries.body.items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ payload: expect.objectContaining({ userId: me.id, from: ['investment_manager'], to: ['auditor'] }) }),
      ]),
    );
  });

  it('keeps at least one active administrator', async () => {
    const self = await t.as('admin_1');
    const res = await t.http().post(`/api/users/${self.id}/deactivate`).set(admin).send({ reason: 'oops' });
    expect(res.status).toBe(422);
    const roles = await t
      .http()
      .put(`/api/users/${self.id}/roles`)
      .set(admin)
      .send({ roles: ['auditor'] });
    expect(roles.status).toBe(422);
    expect((await t.http().post(`/api/users/${randomUUID()}/deactivate`).set(admin).send({})).status).toBe(404);
    const me = await freshUser(['auditor']);
    expect((await t.http().post(`/api/users/${self.id}/deactivate`).set(me.auth).send({})).status).toBe(403);
  });

  it('logout revokes the access token and the refresh token', async () => {
    const me = await freshUser(['auditor']);
    const out = await t.http().post('/api/auth/logout').set(me.auth).send({});
    expect(out.status).toBe(204);
    expect((await t.http().get('/api/funds').set(me.auth)).status).toBe(401);
    expect((await t.http().post('/api/auth/refresh').send({ refreshToken: me.refreshToken })).status).toBe(401);
  });

  it('refresh rotates the refresh token; reusing a spent one revokes the whole session', async () => {
    const me = await freshUser(['auditor']);
    const first = await t.http().post('/api/auth/refresh').send({ refreshToken: me.refreshToken });
    expect(first.status).toBe(200);
    expect(first.body.refreshToken).not.toBe(me.refreshToken);
    expect(first.body.user.username).toBe(me.username);
    const fresh = { Authorization: `Bearer ${first.body.accessToken}` };
    expect((await t.http().get('/api/funds').set(fresh)).status).toBe(200);

    const replay = await t.http().post('/api/auth/refresh').send({ refreshToken: me.refreshToken });
    expect(replay.status).toBe(401);
    expect((await t.http().get('/api/funds').set(fresh)).status).toBe(401);
    expect((await t.http().post('/api/auth/refresh').send({ refreshToken: first.body.refreshToken })).status).toBe(401);
    expect((await t.http().post('/api/auth/refresh').send({ refreshToken: 'garbage' })).status).toBe(401);
    expect((await t.http().post('/api/auth/refresh').send({})).status).toBe(400);
  });

  it('documents refresh and logout in the OpenAPI document', async () => {
    const doc = (await t.http().get('/api/docs-json')).body as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/api/auth/refresh', '/api/auth/logout', '/api/users/{id}/deactivate', '/api/users/{id}/roles']),
    );
  });

  describe('with a second API process', () => {
    let second: ApiProcess;
    beforeAll(async () => {
      // Started without ALLOW_DEMO_USERS, as a production process would be.
      second = await startApi({ databaseUrl: t.db.url, env: { ALLOW_DEMO_USERS: '' } });
    });
    afterAll(() => second.stop());

    it('a change made through one process reaches the other', async () => {
      const me = await freshUser(['investment_manager']);
      expect((await request(second.url).get('/api/funds').set(me.auth)).status).toBe(200);
      await t
        .http()
        .put(`/api/users/${me.id}/roles`)
        .set(admin)
        .send({ roles: ['auditor'] });
      await eventually(
        async () => (await request(second.url).post('/api/cases').set(me.auth).send({})).status === 403,
        'the removed role is refused by the other process',
      );
      await t.http().post(`/api/users/${me.id}/deactivate`).set(admin).send({});
      await eventually(async () => (await request(second.url).get('/api/funds').set(me.auth)).status === 401, 'the other process refuses');
    });

    it('refuses the demo users outside demo mode unless they are explicitly allowed', async () => {
      const res = await request(second.url).post('/api/auth/login').send({ username: 'auditor_1', password: 'demo-password' });
      expect(res.status).toBe(401);
      const demoToken = (await t.as('auditor_1')).auth;
      expect((await request(second.url).get('/api/funds').set(demoToken)).status).toBe(401);
      const me = await freshUser(['auditor']);
      expect((await request(second.url).get('/api/funds').set(me.auth)).status).toBe(200);
    });
  });

  describe('npm run user:create', () => {
    const run = (args: string[], stdin: string) =>
      new Promise<{ code: number | null; out: string }>((resolve) => {
        const child = execFile(
          process.execPath,
          ['-r', join(ROOT, 'scripts', 'register-dist-paths.js'), join(ROOT, 'dist', 'scripts', 'user-create.js'), ...args],
          { env: { PATH: process.env.PATH ?? '', DATABASE_URL: t.db.url, LOG_LEVEL: 'warn' } },
          (err, stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, out: stdout + stderr }),
        );
        child.stdin!.end(stdin);
      });

    it('creates the first administrator with the password from standard input', async () => {
      const made = await run(['--username', 'root_admin', '--display-name', 'Root', '--roles', 'admin'], 'a-very-long-secret-42\n');
      expect(made.out).toMatch(/root_admin/);
      expect(made.code).toBe(0);
      const login = await t.http().post('/api/auth/login').send({ username: 'root_admin', password: 'a-very-long-secret-42' });
      expect(login.status).toBe(200);
      expect(login.body.user.roles).toEqual(['admin']);
    });

    it('refuses a password given as an argument, a short one, an unknown role and a taken name', async () => {
      expect((await run(['--username', 'x_admin', '--roles', 'admin', '--password', 'a-very-long-secret-42'], '')).code).not.toBe(0);
      expect((await run(['--username', 'x_admin', '--roles', 'admin'], 'short\n')).code).not.toBe(0);
      expect((await run(['--username', 'x_admin', '--roles', 'wizard'], 'a-very-long-secret-42\n')).code).not.toBe(0);
      expect((await run(['--username', 'admin_1', '--roles', 'admin'], 'a-very-long-secret-42\n')).code).not.toBe(0);
    });
  });
});
