import request from 'supertest';
import { bootTestApp, DEMO_PASSWORD, startApi, type ApiProcess, type TestApp } from '../support/test-app';

const login = (url: string, username: string, password: string, forwardedFor?: string) => {
  const r = request(url).post('/api/auth/login');
  if (forwardedFor) void r.set('X-Forwarded-For', forwardedFor);
  return r.send({ username, password });
};

describe('login throttling: per account and per source address, shared by every API process', () => {
  let t: TestApp;
  let other: ApiProcess;
  beforeAll(async () => {
    // No delay between failures here (the lock is what is tested); 127.0.0.1 is the trusted proxy,
    // so X-Forwarded-For stands for distinct clients.
    const env = { LOGIN_DELAY_BASE_MS: '0', LOGIN_ACCOUNT_LOCK_AFTER: '5', LOGIN_ADDRESS_LOCK_AFTER: '8', TRUSTED_PROXIES: '127.0.0.1' };
    t = await bootTestApp({ env });
    other = await startApi({ databaseUrl: t.db.url, env });
  });
  afterAll(async () => {
    await other.stop();
    await t.close();
  });

  it('locks an account after repeated failures, even for the right password and on another process; audited once', async () => {
    const codes: number[] = [];
    for (let i = 0; i < 5; i++) codes.push((await login(t.api.url, 'risk_officer_2', 'wrong-password', `10.0.0.${i + 1}`)).status);
    expect(codes).toEqual([401, 401, 401, 401, 401]);
    const locked = await login(t.api.url, 'risk_officer_2', DEMO_PASSWORD, '10.0.1.1');
    expect(locked.status).toBe(429);
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
    expect(locked.body).toEqual(expect.objectContaining({ statusCode: 429, messageZh: expect.any(String), requestId: expect.any(String) }));
    expect((await login(other.url, 'risk_officer_2', DEMO_PASSWORD, '10.0.1.2')).status).toBe(429);
    expect((await login(t.api.url, 'risk_officer_1', DEMO_PASSWORD, '10.0.1.3')).status).toBe(200); // others unaffected

    const auditor = await t.as('auditor_1');
    const entries = await t.http().get('/api/audit/events?type=LOGIN_LOCKED').set(auditor.auth);
    const mine = (entries.body.items as { payload: { scope: string; key: string } }[]).filter(
      (e) => e.payload.scope === 'account' && e.payload.key === 'risk_officer_2',
    );
    expect(mine).toHaveLength(1);
  });

  it('locks a source address that fails across many accounts; other addresses still log in', async () => {
    for (let i = 0; i < 8; i++) expect((await login(t.api.url, `nobody_${i}`, 'wrong-password', '192.0.2.7')).status).toBe(401);
    expect((await login(t.api.url, 'legal_officer_1', DEMO_PASSWORD, '192.0.2.7')).status).toBe(429);
    expect((await login(other.url, 'legal_officer_1', DEMO_PASSWORD, '192.0.2.7')).status).toBe(429);
    expect((await login(t.api.url, 'legal_officer_1', DEMO_PASSWORD, '192.0.2.8')).status).toBe(200);
  });

  it('believes X-Forwarded-For from a configured proxy and records that address', async () => {
    await login(t.api.url, 'nobody_recorded', 'wrong-password', '198.51.100.23');
    const auditor = await t.as('auditor_1');
    const entries = await t.http().get('/api/audit/events?type=LOGIN_FAILED&limit=500').set(auditor.auth);
    const entry = (entries.body.items as { payload: { username: string; ip: string } }[]).find(
      (e) => e.payload.username === 'nobody_recorded',
    );
    expect(entry?.payload.ip).toBe('198.51.100.23');
  });
});

describe('login throttling: growing delays, and X-Forwarded-For ignored without a trusted proxy', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await bootTestApp({ env: { LOGIN_DELAY_BASE_MS: '60000' } });
    await t.as('compliance_officer_1'); // before this address collects failures
  });
  afterAll(() => t.close());

  it('does not believe X-Forwarded-For from a client that is not a configured proxy', async () => {
    // A forged header neither escapes the address's throttle nor lands in the audit entry.
    await login(t.api.url, 'nobody_forged', 'wrong-password', '203.0.113.9');
    const auditor = await t.as('compliance_officer_1');
    const entries = await t.http().get('/api/audit/events?type=LOGIN_FAILED&limit=500').set(auditor.auth);
    const entry = (entries.body.items as { payload: { username: string; ip: string } }[]).find(
      (e) => e.payload.username === 'nobody_forged',
    );
    expect(entry).toBeDefined();
    expect(entry!.payload.ip).not.toBe('203.0.113.9');
  });

  it('after three failures the next attempt must wait a growing delay, the right password too', async () => {
    for (let i = 0; i < 3; i++) expect((await login(t.api.url, 'risk_officer_1', 'wrong-password')).status).toBe(401);
    const early = await login(t.api.url, 'risk_officer_1', DEMO_PASSWORD);
    expect(early.status).toBe(429);
    const wait = Number(early.headers['retry-after']);
    expect(wait).toBeGreaterThan(50);
    expect(wait).toBeLessThanOrEqual(60);
    expect(early.body.message).toMatch(/wait \d+ second/);
  });

  it('parallel guesses at one account do not all get their password checked', async () => {
    const all = await Promise.all(Array.from({ length: 40 }, () => login(t.api.url, 'auditor_1', 'wrong-password')));
    const statuses = all.map((r) => r.status);
    const checked = statuses.filter((s) => s === 401).length;
    expect(checked).toBeGreaterThanOrEqual(3);
    expect(checked).toBeLessThanOrEqual(20); // 16 at once while the account has no failures, then 4
    expect(statuses.filter((s) => s === 429).length).toBe(40 - checked);
  });
});
