/**
 * `npm run bench`: throughput and latency of the real HTTP API against the ceiling of the same
 * database work done with raw SQL, then query latencies at production size. Prints a table and
 * writes JSON under bench/results/. Not a test: nothing here asserts a number.
 *
 * Options: --duration=<s per run> (10), --scale=<data size factor> (1 = 1M cases, 1M open tasks,
 * 10M audit entries), --skip-data (no bulk load, no query benchmark), --pool=<API pool size per process>
 * (8), --workers=<API_WORKERS values to measure, comma-separated> (1 and the number of CPUs).
 * Uses DATABASE_URL's server when set (a new database is created and dropped), else an embedded
 * PostgreSQL in a temporary folder.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { Client, Pool, type PoolClient } from 'pg';
import { withDefaultUser } from '../libs/config/src/database-url';
import { startEmbeddedDatabase } from '../libs/persistence/src/embedded-database';
import { runMigrations } from '../libs/persistence/src/migrate';
import { freePort, ROOT } from '../tests/support/global-setup';
import { startApi, type ApiProcess } from '../tests/support/test-app';
import { HttpClient, summarize } from './http-client';
import { loadBulkData } from './bulk-data';
import { EVENT_READ_SQL } from '../libs/persistence/src/case.loader';
import { EVENT_WRITE_SQL } from '../libs/persistence/src/history.recorder';

const arg = (name: string, def: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? def;
const DURATION_MS = Number(arg('duration', '10')) * 1000;
const SCALE = Number(arg('scale', '1'));
const POOL = Number(arg('pool', '8'));
const SKIP_DATA = process.argv.includes('--skip-data');
/** --profile: the API process writes a V8 CPU profile to bench/results/ when it stops. */
const PROFILE = process.argv.includes('--profile');
const LEVELS = [1, 8, 32];
/** --workers=1,2: API_WORKERS values to measure the API with (default: one process, then one per CPU). */
const WORKERS = arg('workers', `1,${cpus().length}`)
  .split(',')
  .map(Number)
  .filter((n, i, all) => n >= 1 && all.indexOf(n) === i);

interface Tokens {
  owner: string;
  head: string;
  [username: string]: string;
}

async function login(http: HttpClient, username: string): Promise<string> {
  const r = await http.call('POST', '/api/auth/login', undefined, { username, password: 'demo-password' });
  if (r.status !== 200) throw new Error(`login ${username}: ${r.status}`);
  return r.body.accessToken;
}

async function createCases(
  http: HttpClient,
  tokens: Tokens,
  fundId: string,
  n: number,
): Promise<{ id: string; version: number; state: string }[]> {
  const out = [];
  for (let i = 0; i < n; i++) {
    const r = await http.call('POST', '/api/cases', tokens.owner, {
      fundId,
      companyName: `Bench ${Date.now()}-${i}`,
      sector: 'benchmarks',
      requestedAmountFen: 100_000_000,
      summary: 'Benchmark case cycling between draft and screening.',
    });
    if (r.status !== 201) throw new Error(`create case: ${r.status} ${JSON.stringify(r.body)}`);
    out.push({ id: r.body.id, version: r.body.version, state: r.body.state });
  }
  return out;
}

/** The next event of the draft ⇄ screening cycle: SUBMIT (owner) or RETURN (department head). */
const nextEvent = (c: { state: string; version: number }, tokens: Tokens) =>
  c.state === 'draft'
    ? { token: tokens.owner, body: { type: 'SUBMIT', expectedVersion: c.version } }
    : { token: tokens.head, body: { type: 'RETURN', reason: 'Benchmark: back to draft', expectedVersion: c.version } };

interface RunResult {
  clients: number;
  events: number;
  perSecond: number;
  p50: number;
  p95: number;
  p99: number;
  conflicts: number;
  errors: number;
}

async function apiRun(api: ApiProcess, tokens: Tokens, fundId: string, clients: number, hotCases?: number): Promise<RunResult> {
  const http = new HttpClient(api.url, clients);
  const cases = await createCases(http, tokens, fundId, hotCases ?? clients * 2);
  const latencies: number[] = [];
  let conflicts = 0;
  let errors = 0;
  const deadline = Date.now() + DURATION_MS;
  const started = Date.now();
  await Promise.all(
    Array.from({ length: clients }, async (_, k) => {
      let i = 0;
      while (Date.now() < deadline) {
        const c = hotCases ? cases[(k + i++) % cases.length] : cases[k * 2 + (i++ % 2)];
        const { token, body } = nextEvent(c, tokens);
        const r = await http.call('POST', `/api/cases/${c.id}/events`, token, body);
        if (r.status === 200) {
          latencies.push(r.ms);
          c.version = r.body.version;
          c.state = r.body.state;
        } else if (r.status === 409) {
          conflicts++;
          c.version = r.body.details.currentVersion;
          c.state = r.body.details.currentState;
        } else {
          errors++;
          if (errors < 5) process.stderr.write(`unexpected ${r.status}: ${JSON.stringify(r.body).slice(0, 300)}\n`);
        }
      }
    }),
  );
  const seconds = (Date.now() - started) / 1000;
  http.close();
  return {
    clients,
    events: latencies.length,
    perSecond: Math.round(latencies.length / seconds),
    ...summarize(latencies),
    conflicts,
    errors,
  };
}

/**
 * `clients` pg connections, each moving its own two cases with `step` until the deadline; a failed
 * step is rolled back and counted as an error.
 */
async function pgRun(
  url: string,
  caseIds: string[],
  clients: number,
  label: string,
  step: (client: PoolClient, id: string) => Promise<void>,
): Promise<RunResult> {
  const pool = new Pool({ connectionString: url, max: clients, options: '-c jit=off' });
  const latencies: number[] = [];
  let errors = 0;
  const deadline = Date.now() + DURATION_MS;
  const started = Date.now();
  await Promise.all(
    Array.from({ length: clients }, async (_, k) => {
      const client = await pool.connect();
      let i = 0;
      try {
        while (Date.now() < deadline) {
          const id = caseIds[k * 2 + (i++ % 2)];
          const t0 = process.hrtime.bigint();
          try {
            await step(client, id);
            latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
          } catch (err) {
            errors++;
            await client.query('ROLLBACK').catch(() => undefined);
            if (errors < 5) process.stderr.write(`${label} error: ${(err as Error).message}\n`);
          }
        }
      } finally {
        client.release();
      }
    }),
  );
  const seconds = (Date.now() - started) / 1000;
  await pool.end();
  return {
    clients,
    events: latencies.length,
    perSecond: Math.round(latencies.length / seconds),
    ...summarize(latencies),
    conflicts: 0,
    errors,
  };
}

/** The ceiling: the same database work (lock, update, append one history row) with `pg` alone. */
function rawRun(url: string, snapshot: unknown, caseIds: string[], clients: number): Promise<RunResult> {
  const snapshotText = JSON.stringify(snapshot);
  return pgRun(url, caseIds, clients, 'raw', async (client, id) => {
    await client.query('BEGIN');
    const { rows } = await client.query(
      "SELECT version, head_hash, nextval('audit_entries_seq')::text AS seq FROM cases WHERE id = $1 FOR UPDATE",
      [id],
    );
    const v = rows[0].version as number;
    await client.query('UPDATE cases SET snapshot = $2, version = version + 1, updated_at = now() WHERE id = $1 AND version = $3', [
      id,
      snapshotText,
      v,
    ]);
    await client.query(
      `INSERT INTO audit_entries (seq, at, actor_id, actor_roles, case_id, type, from_state, to_state, reason, payload, prev_hash, hash)
       VALUES ($1, now(), NULL, '{investment_manager}', $2, 'SUBMIT', 'draft', 'screening', NULL, $3, $4, $5)`,
      [rows[0].seq, id, { input: {}, version: v + 1 }, rows[0].head_hash ?? '0'.repeat(64), 'f'.repeat(64)],
    );
    await client.query('COMMIT');
  });
}

/**
 * The API's own two statements (the read, then the one-statement write of case, history entry and
 * tasks, each its own transaction) sent by `pg` alone, with the same draft ⇄ screening cycle: what the
 * database costs for an event of this product, without HTTP, Nest, validation, the machine or hashing.
 */
function sameSqlRun(url: string, caseIds: string[], clients: number): Promise<RunResult> {
  return pgRun(url, caseIds, clients, 'same-SQL', async (client, id) => {
    const { rows } = await client.query({ name: 'read', text: EVENT_READ_SQL, values: [id] });
    const c = rows[0];
    const submit = c.state === 'draft';
    const at = new Date().toISOString();
    const hash = createHash('sha256').update(`${id}${c.version}`).digest('hex');
    const open = submit
      ? { key: 'screening_review', kind: 'screening_review', queue: 'department_head', assignee_id: null, due_at: at }
      : { key: 'submit_proposal', kind: 'submit_proposal', queue: 'investment_manager', assignee_id: c.owner_id, due_at: at };
    const written = await client.query({
      name: 'apply',
      text: EVENT_WRITE_SQL,
      values: [
        id,
        c.version,
        submit ? 'screening' : 'draft',
        c.snapshot,
        c.machine_version,
        null,
        null,
        hash,
        at,
        c.next_seq,
        c.owner_id,
        ['investment_manager'],
        submit ? 'SUBMIT' : 'RETURN',
        c.state,
        submit ? null : 'Benchmark: back to draft',
        { input: {}, version: c.version + 1 },
        c.head_hash ?? '0'.repeat(64),
        [submit ? 'submit_proposal' : 'screening_review'],
        JSON.stringify([open]),
        c.head_hash,
      ],
    });
    if (written.rowCount !== 1) throw new Error('version moved');
  });
}

const pct = (a: RunResult, b: RunResult) => Math.round((a.perSecond / b.perSecond) * 100);

async function queryRun(http: HttpClient, name: string, paths: () => string, token: string, samples = 300) {
  for (let i = 0; i < 20; i++) await http.call('GET', paths(), token); // warm-up
  const latencies: number[] = [];
  let errors = 0;
  for (let i = 0; i < samples; i++) {
    const r = await http.call('GET', paths(), token);
    if (r.status === 200) latencies.push(r.ms);
    else if (errors++ < 3) process.stderr.write(`${name}: ${r.status} ${JSON.stringify(r.body).slice(0, 200)}\n`);
  }
  return { query: name, ...summarize(latencies), errors };
}

async function main() {
  const startedAt = new Date().toISOString();
  process.stdout.write('Building the API…\n');
  execFileSync(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(ROOT, 'tsconfig.build.json')], {
    stdio: 'inherit',
  });

  let adminUrl = process.env.DATABASE_URL ? withDefaultUser(process.env.DATABASE_URL) : undefined;
  let stopEmbedded: (() => Promise<void>) | undefined;
  if (!adminUrl) {
    const embedded = await startEmbeddedDatabase({
      dataDir: mkdtempSync(join(tmpdir(), 'pcw-bench-pg-')),
      port: await freePort(),
      database: 'postgres',
      persistent: false,
    });
    adminUrl = embedded.adminUrl;
    stopEmbedded = () => embedded.stop();
  }
  const dbName = `pcw_bench_${Date.now().toString(36)}`;
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${dbName}`);
  const serverVersion = (await admin.query('SHOW server_version')).rows[0].server_version;
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${dbName}`;
  const dbUrl = url.toString();

  let api: ApiProcess | undefined;
  try {
    await runMigrations(dbUrl);
    execFileSync(process.execPath, [join(ROOT, 'scripts', 'start.js'), '--seed-only'], {
      env: { ...process.env, DATABASE_URL: dbUrl, JWT_SECRET: 'b'.repeat(48), LOG_LEVEL: 'warn' },
      stdio: 'inherit',
    });
    const startApiProcess = (workers: number) =>
      startApi({
        databaseUrl: dbUrl,
        // One login per role for the whole run: access tokens that outlive it.
        env: { DB_POOL_SIZE: String(POOL), LOG_LEVEL: 'warn', API_WORKERS: String(workers), JWT_TTL_SECONDS: '86400' },
        nodeArgs: PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${join(ROOT, 'bench', 'results')}`] : [],
      });
    api = await startApiProcess(WORKERS[0]);
    let http = new HttpClient(api.url, 4);
    const tokens: Tokens = { owner: await login(http, 'investment_manager_1'), head: await login(http, 'department_head_1') };
    const funds = await http.call('GET', '/api/funds', tokens.owner);
    const fundId = funds.body.find((f: { type: string }) => f.type === 'venture').id;

    const raw: RunResult[] = [];
    const same: RunResult[] = [];
    const pg = new Client({ connectionString: dbUrl });
    await pg.connect();
    for (const clients of LEVELS) {
      const rawCases = await createCases(http, tokens, fundId, clients * 2);
      const snap = (await pg.query('SELECT snapshot FROM cases WHERE id = $1', [rawCases[0].id])).rows[0].snapshot;
      process.stdout.write(`raw SQL, ${clients} client(s), ${DURATION_MS / 1000}s…\n`);
      raw.push(
        await rawRun(
          dbUrl,
          snap,
          rawCases.map((c) => c.id),
          clients,
        ),
      );
      const sqlCases = await createCases(http, tokens, fundId, clients * 2);
      process.stdout.write(`the API's SQL with pg alone, ${clients} client(s), ${DURATION_MS / 1000}s…\n`);
      same.push(
        await sameSqlRun(
          dbUrl,
          sqlCases.map((c) => c.id),
          clients,
        ),
      );
    }
    const apiRuns: { workers: number; levels: RunResult[]; hot: RunResult }[] = [];
    for (const workers of WORKERS) {
      if (apiRuns.length > 0) {
        http.close();
        await api.stop();
        api = await startApiProcess(workers);
        http = new HttpClient(api.url, 4);
      }
      const levels: RunResult[] = [];
      for (const clients of LEVELS) {
        process.stdout.write(
          `API (${workers} process${workers > 1 ? 'es' : ''}), ${clients} client(s), own cases, ${DURATION_MS / 1000}s…\n`,
        );
        levels.push(await apiRun(api, tokens, fundId, clients));
      }
      process.stdout.write(`API (${workers} process${workers > 1 ? 'es' : ''}), 32 clients on 4 hot cases, ${DURATION_MS / 1000}s…\n`);
      apiRuns.push({ workers, levels, hot: await apiRun(api, tokens, fundId, 32, 4) });
    }

    // Printed now, so that a failure while loading the bulk data loses none of it.
    const cell = (r: RunResult) => `${String(r.perSecond).padStart(6)} ev/s  ${`${r.p50} / ${r.p95} / ${r.p99}`.padEnd(22)}`;
    process.stdout.write("\nThe ceiling (pg alone, no API): raw = lock + update + one history row; same SQL = the API's own\n");
    process.stdout.write('two statements with its task changes\n');
    process.stdout.write('clients | raw tx/s  p50 / p95 / p99 ms        | same SQL tx/s  p50 / p95 / p99 ms\n');
    LEVELS.forEach((clients, i) => process.stdout.write(`${String(clients).padStart(7)} | ${cell(raw[i])} | ${cell(same[i])}\n`));
    for (const a of apiRuns) {
      process.stdout.write(
        `\nThrough the HTTP API, ${a.workers} API process${a.workers > 1 ? 'es' : ''} (API_WORKERS=${a.workers}), each client on its own cases\n`,
      );
      process.stdout.write('clients | API            p50 / p95 / p99 ms   | API ÷ raw | API ÷ same SQL | errors\n');
      a.levels.forEach((r, i) =>
        process.stdout.write(
          `${String(r.clients).padStart(7)} | ${cell(r)} | ${String(pct(r, raw[i])).padStart(8)}% | ${String(pct(r, same[i])).padStart(13)}% | ${r.errors + raw[i].errors + same[i].errors}\n`,
        ),
      );
      process.stdout.write(
        `Hot cases (32 clients, 4 cases): ${a.hot.perSecond} accepted ev/s, ${a.hot.conflicts} × 409, ${a.hot.errors} other errors, p50/p95 ${a.hot.p50}/${a.hot.p95} ms\n`,
      );
    }

    let queries: Awaited<ReturnType<typeof queryRun>>[] = [];
    let data: Record<string, number> = {};
    if (!SKIP_DATA) {
      process.stdout.write(`Loading bulk data (scale ${SCALE})…\n`);
      data = await loadBulkData(pg, SCALE, (m) => process.stdout.write(`  ${m}\n`));
      tokens.risk = await login(http, 'risk_officer_1');
      tokens.auditor = await login(http, 'auditor_1');
      const sampleCases = (await pg.query(`SELECT id FROM cases WHERE company_name LIKE 'Gen %' ORDER BY random() LIMIT 500`)).rows.map(
        (r) => r.id as string,
      );
      const actors = (await pg.query(`SELECT id FROM users`)).rows.map((r) => r.id as string);
      const pick = <T>(xs: T[]) => xs[Math.floor(Math.random() * xs.length)];
      const day = 24 * 3600_000;
      queries = [
        await queryRun(
          http,
          'queue listing (GET /api/tasks?queue=risk_officer)',
          () => '/api/tasks?queue=risk_officer&limit=50',
          tokens.risk,
        ),
        await queryRun(http, 'queue listing, all my queues (GET /api/tasks)', () => '/api/tasks?limit=50', tokens.risk),
        await queryRun(
          http,
          'one case history (GET /api/cases/:id/history)',
          () => `/api/cases/${pick(sampleCases)}/history`,
          tokens.auditor,
        ),
        await queryRun(
          http,
          'audit query: actor + 7-day window (GET /api/audit/events)',
          () => {
            const to = Date.now() - Math.floor(Math.random() * 300) * day;
            return `/api/audit/events?actorId=${pick(actors)}&from=${new Date(to - 7 * day).toISOString()}&to=${new Date(to).toISOString()}&limit=50`;
          },
          tokens.auditor,
        ),
      ];
    }
    await pg.end();
    http.close();

    const result = {
      startedAt,
      machine: { cpus: cpus().length, memGiB: Math.round(totalmem() / 2 ** 30), node: process.version, postgres: serverVersion },
      settings: { durationSeconds: DURATION_MS / 1000, apiPool: POOL, workers: WORKERS, scale: SCALE },
      ceiling: LEVELS.map((clients, i) => ({ clients, raw: raw[i], sameSql: same[i] })),
      api: apiRuns.map((a) => ({
        workers: a.workers,
        throughput: a.levels.map((r, i) => ({ ...r, ratioToRaw: pct(r, raw[i]), ratioToSameSql: pct(r, same[i]) })),
        hotCases: a.hot,
      })),
      data,
      queries,
    };
    if (queries.length) {
      process.stdout.write(`\nQueries with ${JSON.stringify(data)}\n`);
      for (const q of queries)
        process.stdout.write(`${q.query.padEnd(62)} p50 ${q.p50} ms  p95 ${q.p95} ms  (${q.n} samples, ${q.errors} errors)\n`);
    }
    mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true });
    const file = join(ROOT, 'bench', 'results', `${startedAt.replace(/[:.]/g, '-')}.json`);
    writeFileSync(file, JSON.stringify(result, null, 2));
    process.stdout.write(`\nWrote ${file}\n`);
  } finally {
    await api?.stop();
    const a = new Client({ connectionString: adminUrl });
    await a.connect();
    await a.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    await a.end();
    await stopEmbedded?.();
  }
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
