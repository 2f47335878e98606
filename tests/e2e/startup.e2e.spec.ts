import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { Client } from 'pg';
import { ROOT } from '../support/global-setup';
import { configWith, startApi, TEST_JWT_SECRET } from '../support/test-app';
import { createTestDatabase } from '../support/test-database';

/** Runs `npm start`'s entry point with only the given environment, expecting it to refuse to start. */
function start(env: Record<string, string>) {
  const r = spawnSync(process.execPath, [join(ROOT, 'scripts', 'start.js')], {
    env: { PATH: process.env.PATH ?? '', ...env },
    encoding: 'utf8',
    timeout: 30_000,
  });
  return { code: r.status, stderr: r.stderr.trim(), stdout: r.stdout };
}

describe('start-up configuration and database outages', () => {
  it('stops with one line naming a bad setting', () => {
    const bad = start({ PORT: 'eighty', DATABASE_URL: 'postgres://x@127.0.0.1:1/x', JWT_SECRET: TEST_JWT_SECRET });
    expect(bad.code).toBe(1);
    expect(bad.stderr.split('\n')).toHaveLength(1);
    expect(bad.stderr).toMatch(/^Invalid setting PORT: /);
    const url = start({ DATABASE_URL: 'mysql://root@localhost/x', JWT_SECRET: TEST_JWT_SECRET });
    expect(url.stderr).toMatch(/^Invalid setting DATABASE_URL: DATABASE_URL must be a postgres/);
  });

  it('requires JWT_SECRET with DATABASE_URL, and a long one', () => {
    const missing = start({ DATABASE_URL: 'postgres://x@127.0.0.1:1/x' });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^Invalid setting JWT_SECRET: JWT_SECRET is required when DATABASE_URL is set/);
    const short = start({ DATABASE_URL: 'postgres://x@127.0.0.1:1/x', JWT_SECRET: 'short' });
    expect(short.stderr).toMatch(/^Invalid setting JWT_SECRET: JWT_SECRET must be at least 32 characters/);
  });

  it('checkpoints go to a folder or to a bucket, with a signing key, never both', () => {
    const base = { DATABASE_URL: 'postgres://x@127.0.0.1:1/x', JWT_SECRET: TEST_JWT_SECRET };
    const both = start({ ...base, CHECKPOINT_DIR: '/tmp/cp', CHECKPOINT_S3_BUCKET: 'audit-anchors', CHECKPOINT_KEY_FILE: '/tmp/k.pem' });
    expect(both.code).toBe(1);
    expect(both.stderr).toMatch(/^Invalid setting CHECKPOINT_S3_BUCKET: set either CHECKPOINT_DIR \(a folder\) or CHECKPOINT_S3_BUCKET/);
    const noKey = start({ ...base, CHECKPOINT_S3_BUCKET: 'audit-anchors' });
    expect(noKey.stderr).toMatch(
      /^Invalid setting CHECKPOINT_KEY_FILE: CHECKPOINT_KEY_FILE is required when CHECKPOINT_DIR or CHECKPOINT_S3_BUCKET is set/,
    );
    const badBucket = start({ ...base, CHECKPOINT_S3_BUCKET: 'Audit_Anchors', CHECKPOINT_KEY_FILE: '/tmp/k.pem' });
    expect(badBucket.stderr).toMatch(/^Invalid setting CHECKPOINT_S3_BUCKET: CHECKPOINT_S3_BUCKET must be an S3 bucket name/);
    const badMode = start({
      ...base,
      CHECKPOINT_S3_BUCKET: 'audit-anchors',
      CHECKPOINT_KEY_FILE: '/tmp/k.pem',
      CHECKPOINT_S3_LOCK_MODE: 'legal-hold',
    });
    expect(badMode.stderr).toMatch(/^Invalid setting CHECKPOINT_S3_LOCK_MODE: CHECKPOINT_S3_LOCK_MODE must be COMPLIANCE or GOVERNANCE/);
    const noWhere = start({ ...base, CHECKPOINT_KEY_FILE: '/tmp/k.pem' });
    expect(noWhere.stderr).toMatch(
      /^Invalid setting CHECKPOINT_DIR: CHECKPOINT_DIR or CHECKPOINT_S3_BUCKET is required when CHECKPOINT_KEY_FILE is set/,
    );
  });

  it('stops with one line naming a bad policy file', () => {
    const dir = configWith({ 'policies/committee.yaml': { quorum: 0 } });
    const r = start({ DATABASE_URL: 'postgres://x@127.0.0.1:1/x', JWT_SECRET: TEST_JWT_SECRET, CONFIG_DIR: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^Invalid policy file .*committee\.yaml: quorum: quorum must not be less than 1$/);
  });

  it('stops with one line naming a bad working-day calendar file', () => {
    const dir = configWith({ 'calendar/cn-2026.yaml': { workdays: [{ date: '2026-03-03', name: 'a Tuesday' }] } });
    const r = start({ DATABASE_URL: 'postgres://x@127.0.0.1:1/x', JWT_SECRET: TEST_JWT_SECRET, CONFIG_DIR: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /^Invalid policy file calendar\/: Calendar cn-2026\.1: make-up working day 2026-03-03 is not a Saturday or Sunday\.$/,
    );
  });

  it('answers health 503 and other requests 503, never 500, when the database goes away', async () => {
    const db = await createTestDatabase();
    const api = await startApi({ databaseUrl: db.url });
    try {
      const login = await fetch(`${api.url}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'auditor_1', password: 'demo-password' }),
      });
      const { accessToken } = (await login.json()) as { accessToken: string };
      await db.drop(); // terminates the API's connections and removes the database
      const health = await fetch(`${api.url}/api/health`);
      expect(health.status).toBe(503);
      expect(await health.json()).toEqual({ status: 'degraded', db: 'down', pool: 'ok' });
      expect(health.headers.get('retry-after')).toBe('5');
      const funds = await fetch(`${api.url}/api/funds`, { headers: { authorization: `Bearer ${accessToken}` } });
      expect(funds.status).toBe(503);
      expect(((await funds.json()) as { message: string }).message).toMatch(/database/);
    } finally {
      await api.stop();
    }
  });

  it('keeps the schema of a database it did not create: migrations only, no synchronize', async () => {
    const db = await createTestDatabase();
    try {
      const api = await startApi({ databaseUrl: db.url });
      await api.stop();
      const c = new Client({ connectionString: db.url });
      await c.connect();
      const ran = (await c.query('SELECT count(*)::int AS n FROM schema_migrations')).rows[0].n;
      await c.end();
      expect(ran).toBeGreaterThan(0);
    } finally {
      await db.drop();
    }
  });
});
