import { execFileSync, fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import request from 'supertest';
import { verifyAllChains } from '../support/chains';
import { freePort, ROOT } from '../support/global-setup';
import { DEMO_PASSWORD, startApi, TEST_JWT_SECRET, type ApiProcess } from '../support/test-app';

jest.setTimeout(240_000);

/** Small limits, so that a held lock and a full pool show within a second or two. */
const LOCK_TIMEOUT_MS = 1500;
const POOL_SIZE = 2;
const POOL_ACQUIRE_TIMEOUT_MS = 300;

/** A PostgreSQL of this file's own, in a process of its own (see tests/support/embedded-postgres-process.js). */
interface OwnDatabase {
  url: string;
  stop(): Promise<void>;
}

function startOwnDatabase(dataDir: string, port: number): Promise<OwnDatabase> {
  const child: ChildProcess = fork(join(ROOT, 'tests', 'support', 'embedded-postgres-process.js'), [], {
    env: { PATH: process.env.PATH ?? '', DATA_DIR: dataDir, PG_PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  let err = '';
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    child.once('message', (m) => {
      const { url } = m as { url: string };
      resolve({
        url,
        async stop() {
          if (child.exitCode === null) child.send('stop');
          await exited;
        },
      });
    });
    child.once('exit', (code) => reject(new Error(`the test's PostgreSQL did not start (${code}): ${err}`)));
  });
}

interface Answer {
  status: number;
  retryAfter: string | null;
  body: any;
  ms: number;
}

/**
 * Faults the shared test server cannot be put through: this file runs a PostgreSQL of its own, so it
 * can hold locks on the API's tables, terminate the API's connections and stop the server. The API
 * connects as the owner here (it also migrates), and runs as in production (NODE_ENV=production).
 */
describe('faults: every fault is a fast 4xx or 503, never a 500, and nothing is half-written', () => {
  let dataDir: string;
  let port: number;
  let pg: OwnDatabase;
  let api: ApiProcess;
  const answers: Answer[] = [];
  const tokens = new Map<string, string>();

  const startDatabase = () => startOwnDatabase(dataDir, port);

  /** One request over HTTP; every answer is kept, so that the last test can say no 500 was ever sent. */
  async function call(method: string, path: string, opts: { body?: unknown; raw?: string; user?: string } = {}): Promise<Answer> {
    const headers: Record<string, string> = {};
    if (opts.user) headers.authorization = `Bearer ${await token(opts.user)}`;
    if (opts.body !== undefined || opts.raw !== undefined) headers['content-type'] = 'application/json';
    const started = Date.now();
    const res = await fetch(`${api.url}${path}`, {
      method,
      headers,
      body: opts.raw ?? (opts.body === undefined ? undefined : JSON.stringify(opts.body)),
    });
    const text = await res.text();
    let body: any = text;
    try {
      body = JSON.parse(text);
    } catch {
      // not JSON (the Swagger UI page)
    }
    const answer = { status: res.status, retryAfter: res.headers.get('retry-after'), body, ms: Date.now() - started };
    answers.push(answer);
    return answer;
  }

  async function token(username: string): Promise<string> {
    const cached = tokens.get(username);
    if (cached) return cached;
    const res = await request(api.url).post('/api/auth/login').send({ username, password: DEMO_PASSWORD });
    if (res.status !== 200) throw new Error(`login ${username}: ${res.status} ${JSON.stringify(res.body)}`);
    tokens.set(username, res.body.accessToken);
    return res.body.accessToken;
  }

  async function asOwner<T>(work: (c: Client) => Promise<T>): Promise<T> {
    const c = new Client({ connectionString: pg.url });
    await c.connect();
    try {
      return await work(c);
    } finally {
      await c.end();
    }
  }

  async function createCase(): Promise<Answer> {
    const funds = await call('GET', '/api/funds', { user: 'auditor_1' });
    if (funds.status !== 200) return funds;
    return call('POST', '/api/cases', {
      user: 'investment_manager_1',
      body: {
        fundId: funds.body[0].id,
        companyName: `Fault Co ${Math.random().toString(36).slice(2, 8)}`,
        sector: 'semiconductors',
        requestedAmountFen: 1_000_000_00,
        summary: 'A proposal sent while the database misbehaves.',
      },
    });
  }

  /** Polls until `check` holds (or fails the test after `ms`). */
  async function eventually(check: () => Promise<boolean>, ms = 30_000): Promise<void> {
    const deadline = Date.now() + ms;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error(`not recovered within ${ms / 1000} s`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  const expect503 = (a: Answer, message: RegExp) => {
    expect({ status: a.status, message: a.body?.message }).toEqual({ status: 503, message: expect.stringMatching(message) });
    expect(Number(a.retryAfter)).toBeGreaterThan(0);
  };

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'pcw-faults-pg-'));
    port = await freePort();
    pg = await startDatabase();
    // Migrations and the demo users, as the global setup does for the shared server.
    execFileSync(process.execPath, [join(ROOT, 'scripts', 'start.js'), '--seed-only'], {
      env: { PATH: process.env.PATH ?? '', DATABASE_URL: pg.url, JWT_SECRET: TEST_JWT_SECRET, LOG_LEVEL: 'warn' },
      stdio: 'pipe',
    });
    api = await startApi({
      databaseUrl: null,
      env: {
        DATABASE_URL: pg.url,
        NODE_ENV: 'production',
        DB_POOL_SIZE: String(POOL_SIZE),
        DB_LOCK_TIMEOUT_MS: String(LOCK_TIMEOUT_MS),
        DB_POOL_ACQUIRE_TIMEOUT_MS: String(POOL_ACQUIRE_TIMEOUT_MS),
        DB_STATEMENT_TIMEOUT_MS: '10000',
      },
    });
  });

  afterAll(async () => {
    await api?.stop();
    await pg?.stop().catch(() => undefined);
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('refuses deep JSON, prototype keys and dates out of range with a 400, logged in or not', async () => {
    const deep = await call('POST', '/api/auth/login', { raw: `{"username":${'['.repeat(3000)}${']'.repeat(3000)},"password":"x"}` });
    expect(deep.status).toBe(400);
    expect(deep.body.message).toMatch(/more than 32 levels deep/);
    for (const key of ['__proto__', 'constructor', 'prototype']) {
      const res = await call('POST', '/api/auth/login', { raw: `{"username":"auditor_1","password":"demo-password","${key}":{"x":1}}` });
      expect(res.status).toBe(400);
      expect(res.body.message).toContain(`"${key}"`);
    }
    const created = await createCase();
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    const poisoned = await call('POST', `/api/cases/${id}/events`, {
      user: 'investment_manager_1',
      raw: '{"type":"SUBMIT","expectedVersion":1,"payload":{"constructor":{"prototype":{"isAdmin":true}}}}',
    });
    expect(poisoned.status).toBe(400);
    for (const signedAt of ['1900-01-01', '1989-12-31T23:59:59Z', '2100-01-01', '9999-12-31']) {
      const res = await call('POST', `/api/cases/${id}/events`, {
        user: 'investment_manager_1',
        body: { type: 'RECORD_SIGNING', expectedVersion: 1, signedAt },
      });
      expect({ signedAt, status: res.status }).toEqual({ signedAt, status: 400 });
      expect(res.body.message).toMatch(/signedAt must be on or after 1990-01-01 and before 2100-01-01/);
    }
    expect((await call('GET', `/api/cases/${id}?asOf=1900-01-01T00:00:00Z`, { user: 'auditor_1' })).status).toBe(400);
    expect((await call('GET', '/api/audit/events?from=1066-10-14T09:00:00Z', { user: 'auditor_1' })).status).toBe(400);
    // Nothing of it was written: the case is as created.
    const kase = await call('GET', `/api/cases/${id}`, { user: 'investment_manager_1' });
    expect(kase.body).toMatchObject({ version: 1, state: 'draft' });
  });

  it('in production serves the OpenAPI document but not the Swagger UI', async () => {
    expect((await call('GET', '/api/docs')).status).toBe(404);
    const doc = await call('GET', '/api/docs-json');
    expect(doc.status).toBe(200);
    expect(doc.body.openapi).toMatch(/^3\./);
  });

  it('a table lock held by another session: 503 after the lock timeout, a full pool: 503 at once, health says so; both recover', async () => {
    const created = await createCase();
    const id = created.body.id as string;
    const locker = new Client({ connectionString: pg.url });
    await locker.connect();
    try {
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE cases IN ACCESS EXCLUSIVE MODE');
      const submit = await call('POST', `/api/cases/${id}/events`, {
        user: 'investment_manager_1',
        body: { type: 'SUBMIT', expectedVersion: 1 },
      });
      expect503(submit, /locked by other work/);
      expect(submit.ms).toBeLessThan(LOCK_TIMEOUT_MS + 3000);
      // More readers of the locked table than connections: the pool runs dry, and requests waiting for a
      // connection are answered within the acquire timeout instead of queueing for the lock.
      const stop = Date.now() + 4000;
      const health: Answer[] = [];
      const loads = await Promise.all([
        ...Array.from({ length: 6 }, async () => {
          const got: Answer[] = [];
          while (Date.now() < stop) got.push(await call('GET', `/api/cases/${id}`, { user: 'auditor_1' }));
          return got;
        }),
        (async () => {
          while (Date.now() < stop) {
            health.push(await call('GET', '/api/health'));
            await new Promise((r) => setTimeout(r, 200));
          }
          return [];
        })(),
      ]);
      const during = loads.flat();
      for (const a of during) expect503(a, /locked by other work|every database connection is in use/);
      expect(during.some((a) => /every database connection is in use/.test(a.body.message))).toBe(true);
      expect(Math.max(...during.map((a) => a.ms))).toBeLessThan(LOCK_TIMEOUT_MS + POOL_ACQUIRE_TIMEOUT_MS + 3000);
      expect(health.map((h) => h.body)).toContainEqual({ status: 'degraded', db: 'up', pool: 'exhausted' });
      // The database answers: health stays 200 (503 is for a database that is down), saying degraded.
      for (const h of health) if (h.body.pool === 'exhausted') expect(h.status).toBe(200);
    } finally {
      await locker.query('ROLLBACK').catch(() => undefined);
      await locker.end();
    }
    await eventually(async () => (await call('GET', '/api/health')).body.status === 'ok');
    // The refused SUBMIT wrote nothing; sent again, it is accepted.
    const after = await call('GET', `/api/cases/${id}/history`, { user: 'investment_manager_1' });
    expect(after.body).toHaveLength(1);
    const again = await call('POST', `/api/cases/${id}/events`, {
      user: 'investment_manager_1',
      body: { type: 'SUBMIT', expectedVersion: 1 },
    });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ version: 2, state: 'screening' });
  });

  it("the API's connections terminated under load: each request succeeds or gets a 503, every acknowledged write is there", async () => {
    const acknowledged: { id: string; submitted: boolean }[] = [];
    const stop = Date.now() + 6000;
    const writer = async () => {
      while (Date.now() < stop) {
        const created = await createCase();
        if (created.status !== 201) continue;
        const submit = await call('POST', `/api/cases/${created.body.id}/events`, {
          user: 'investment_manager_1',
          body: { type: 'SUBMIT', expectedVersion: 1 },
        });
        acknowledged.push({ id: created.body.id, submitted: submit.status === 200 });
      }
    };
    const killer = async () => {
      let killed = 0;
      await asOwner(async (c) => {
        while (Date.now() < stop) {
          const r = await c.query(
            `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1 AND pid <> pg_backend_pid()`,
            [`patient-capital-workflow:${api.child.pid}`],
          );
          killed += r.rowCount ?? 0;
          await new Promise((r) => setTimeout(r, 100 + Math.random() * 150));
        }
      });
      return killed;
    };
    const from = answers.length;
    const [killed] = await Promise.all([killer(), writer(), writer(), writer()]);
    expect(killed).toBeGreaterThan(0);
    const statuses = new Set(answers.slice(from).map((a) => a.status));
    expect([...statuses].filter((s) => ![200, 201, 503].includes(s))).toEqual([]);
    expect(acknowledged.length).toBeGreaterThan(0);
    await eventually(async () => (await call('GET', '/api/health')).status === 200);
    await asOwner(async (c) => {
      const rows = (
        await c.query(
          `SELECT c.id, c.version, (SELECT count(*)::int FROM audit_entries a WHERE a.case_id = c.id) AS entries FROM cases c WHERE c.id = ANY($1::uuid[])`,
          [acknowledged.map((a) => a.id)],
        )
      ).rows as { id: string; version: number; entries: number }[];
      expect(rows).toHaveLength(acknowledged.length);
      const byId = new Map(rows.map((r) => [r.id, r]));
      for (const a of acknowledged) {
        const row = byId.get(a.id)!;
        if (a.submitted) expect(row.version).toBe(2);
        // The state, the version and the history entry are written together or not at all.
        expect(row.entries).toBe(row.version);
      }
    });
    expect((await verifyAllChains(pg.url)).broken).toEqual([]);
  });

  it('the database stopped: 503 with Retry-After and health says down; once it is back the API serves again, unrestarted', async () => {
    await call('GET', '/api/funds', { user: 'auditor_1' }); // the session is known before the database goes
    await pg.stop();
    try {
      const health = await call('GET', '/api/health');
      expect(health.status).toBe(503);
      expect(health.body).toEqual({ status: 'degraded', db: 'down', pool: 'ok' });
      expect(health.retryAfter).toBe('5');
      expect503(await call('GET', '/api/funds', { user: 'auditor_1' }), /database is unreachable/);
      expect503(await call('POST', '/api/auth/login', { body: { username: 'auditor_1', password: DEMO_PASSWORD } }), /database/);
      const create = await call('POST', '/api/cases', {
        user: 'investment_manager_1',
        body: { fundId: '00000000-0000-4000-8000-000000000000', companyName: 'X', sector: 's', requestedAmountFen: 1, summary: 's' },
      });
      expect503(create, /database/);
    } finally {
      pg = await startDatabase();
    }
    await eventually(async () => (await call('GET', '/api/health')).status === 200);
    const created = await createCase();
    expect(created.status).toBe(201);
    expect(api.child.exitCode).toBeNull();
    expect((await verifyAllChains(pg.url)).broken).toEqual([]);
  });

  it('sent no 500 to any of the requests above', () => {
    expect(answers.length).toBeGreaterThan(50);
    const failed = answers.filter((a) => a.status >= 500 && a.status !== 503);
    // With the API's own account of each (its error log line), should one appear.
    const logged = failed.map(
      (a) =>
        api
          .output()
          .split('\n')
          .find((l) => l.includes(String(a.body?.requestId))) ?? a.body,
    );
    expect(logged).toEqual([]);
  });
});
