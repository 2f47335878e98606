/**
 * `npm run bench`: throughput and latency of the real HTTP API against the ceiling of the same
 * database work done with raw SQL, then query latencies at production size. Prints a table and
 * writes JSON under bench/results/. Not a test: nothing here asserts a number.
 *
 * Options: --duration=<s per run> (10), --scale=<data size factor> (1 = 1M cases, 1M open tasks,
 * 10M audit entries), --skip-data (no bulk load, no query benchmark), --pool=<API pool size per process>
 * (8), --workers=<API_WORKERS values to measure, comma-separated> (1 and the number of CPUs).
 * --soak=<minutes> [--rate=<events/s> (300)]: instead, the soak run of bench/soak.ts (one API process
 * unless --workers says otherwise) at a steady rate, printing latency and the API's memory each minute.
 * Uses DATABASE_URL's server when set (a new database is created and dropped), else an embedded
 * PostgreSQL in a temporary folder.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
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
import { filesBench } from './files';
import { soak } from './soak';
import { createCases, login, nextEvent, processTree, type Tokens } from './workload';
import { EVENT_READ_SQL } from '../libs/persistence/src/case.loader';
import { EVENT_WRITE_SQL } from '../libs/persistence/src/history.recorder';

const arg = (name: string, def: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? def;
const DURATION_MS = Number(arg('duration', '10')) * 1000;
const SCALE = Number(arg('scale', '1'));
const POOL = Number(arg('pool', '8'));
const SKIP_DATA = process.argv.includes('--skip-data');
/** --soak=<minutes>: the soak run (bench/soak.ts) instead of the measurements below. */
const SOAK_MINUTES = Number(arg('soak', '0'));
const SOAK_RATE = Number(arg('rate', '300'));
/** --files-only: only the evidence-upload and document-issue measurements (bench/files.ts). */
const FILES_ONLY = process.argv.includes('--files-only');
/** --profile: the API process writes a V8 CPU profile to bench/results/ when it stops. */
const PROFILE = process.argv.includes('--profile');
const LEVELS = [1, 8, 32];
/** --rounds=<n>: how many times the 32-client measurements are repeated, interleaved (3). */
const ROUNDS = Number(arg('rounds', '3'));
/** --workers=1,2: API_WORKERS values to measure the API with (default: one process, then one per CPU). */
const WORKERS = arg('workers', `1,${cpus().length}`)
  .split(',')
  .map(Number)
  .filter((n, i, all) => n >= 1 && all.indexOf(n) === i);

interface RunResult {
  clients: number;
  events: number;
  perSecond: number;
  p50: number;
  p95: number;
  p99: number;
  conflicts: number;
  errors: number;
  /**
   * CPU time (user + system, ms) per answered event of each process taking part: the API process(es),
   * the PostgreSQL server (every backend), and the load generator (this process). Unlike events per
   * second, these barely depend on what else the machine is running.
   */
  cpu?: CpuPerEvent;
}

interface CpuPerEvent {
  api?: number;
  database?: number;
  loadGenerator: number;
  total: number;
}

const TICK_MS = 10; // USER_HZ = 100 on Linux

/** The parent of a PostgreSQL backend (the postmaster), or undefined when the server is not on this machine. */
function postmasterOf(backendPid: number): number | undefined {
  try {
    return Number(readFileSync(`/proc/${backendPid}/stat`, 'utf8').split(') ')[1].split(' ')[1]);
  } catch {
    return undefined;
  }
}

/** CPU time (ms) used so far by a process and its children (cluster workers, PostgreSQL backends), from /proc (Linux). */
function treeCpuMs(root: number | undefined): number {
  if (root === undefined) return 0;
  let ticks = 0;
  // stat fields [11] and [12] are utime and stime; [13] and [14] the same of reaped children: a backend
  // or worker that exits is still counted, by its parent.
  for (const { isRoot, stat } of processTree(root))
    ticks += Number(stat[11]) + Number(stat[12]) + (isRoot ? Number(stat[13]) + Number(stat[14]) : 0);
  return ticks * TICK_MS;
}

/** The PostgreSQL server's main process when it runs on this machine (its backends are its children). */
let postmasterPid: number | undefined;

/** Counts the CPU time the processes of a run use, from `start()` until the returned function is called. */
function cpuMeter(apiPid?: number): (answered: number) => CpuPerEvent | undefined {
  const own = process.cpuUsage();
  const api0 = treeCpuMs(apiPid);
  const db0 = treeCpuMs(postmasterPid);
  return (answered) => {
    if (!answered) return undefined;
    const used = process.cpuUsage(own);
    const per = (ms: number) => Math.round((ms / answered) * 1000) / 1000;
    const loadGenerator = (used.user + used.system) / 1000;
    const api = apiPid === undefined ? undefined : treeCpuMs(apiPid) - api0;
    const database = postmasterPid === undefined ? undefined : treeCpuMs(postmasterPid) - db0;
    return {
      api: api === undefined ? undefined : per(api),
      database: database === undefined ? undefined : per(database),
      loadGenerator: per(loadGenerator),
      total: per(loadGenerator + (api ?? 0) + (database ?? 0)),
    };
  };
}

async function apiRun(api: ApiProcess, tokens: Tokens, fundId: string, clients: number, hotCases?: number): Promise<RunResult> {
  const http = new HttpClient(api.url, clients);
  const cases = await createCases(http, tokens, fundId, hotCases ?? clients * 2);
  const latencies: number[] = [];
  let conflicts = 0;
  let errors = 0;
  const deadline = Date.now() + DURATION_MS;
  const started = Date.now();
  const meter = cpuMeter(api.child.pid);
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
  const cpu = meter(latencies.length + conflicts);
  http.close();
  return {
    clients,
    events: latencies.length,
    perSecond: Math.round(latencies.length / seconds),
    ...summarize(latencies),
    conflicts,
    errors,
    cpu,
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
  const meter = cpuMeter();
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
  const cpu = meter(latencies.length);
  await pool.end();
  return {
    clients,
    events: latencies.length,
    perSecond: Math.round(latencies.length / seconds),
    ...summarize(latencies),
    conflicts: 0,
    errors,
    cpu,
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
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : Math.round((s[s.length / 2 - 1] + s[s.length / 2]) / 2);
};

/** One measurement at one concurrency: the ceiling and every API process count, back to back. */
interface Round {
  clients: number;
  round: number;
  raw: RunResult;
  sameSql: RunResult;
  api: { workers: number; result: RunResult }[];
}

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

  const apis: { workers: number; api: ApiProcess }[] = [];
  try {
    await runMigrations(dbUrl);
    execFileSync(process.execPath, [join(ROOT, 'scripts', 'start.js'), '--seed-only'], {
      env: { ...process.env, DATABASE_URL: dbUrl, JWT_SECRET: 'b'.repeat(48), LOG_LEVEL: 'warn' },
      stdio: 'inherit',
    });
    if (SOAK_MINUTES > 0) {
      const workers = process.argv.some((a) => a.startsWith('--workers=')) ? WORKERS[0] : 1;
      await soak({ dbUrl, adminUrl, minutes: SOAK_MINUTES, rate: SOAK_RATE, workers, pool: POOL, postgres: serverVersion });
      return;
    }
    const startApiProcess = (workers: number) =>
      startApi({
        databaseUrl: dbUrl,
        // One login per role for the whole run: access tokens that outlive it.
        env: { DB_POOL_SIZE: String(POOL), LOG_LEVEL: 'warn', API_WORKERS: String(workers), JWT_TTL_SECONDS: '86400' },
        nodeArgs: PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${join(ROOT, 'bench', 'results')}`] : [],
      });
    // Evidence uploads (1 and 25 MiB) and an exemption determination for a case with 200 history
    // entries: time and the API process's resident memory, on an API process of its own.
    process.stdout.write('Evidence files and issued documents…\n');
    const filesApi = await startApi({ databaseUrl: dbUrl, env: { LOG_LEVEL: 'warn', API_WORKERS: '1', JWT_TTL_SECONDS: '86400' } });
    const filesHttp = new HttpClient(filesApi.url, 1);
    const files = await filesBench(
      filesApi,
      (u) => login(filesHttp, u),
      (m) => process.stdout.write(`  ${m}\n`),
    ).finally(async () => {
      filesHttp.close();
      await filesApi.stop();
    });
    if (FILES_ONLY) {
      mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true });
      const file = join(ROOT, 'bench', 'results', `${startedAt.replace(/[:.]/g, '-')}-files.json`);
      writeFileSync(
        file,
        JSON.stringify({ startedAt, machine: { cpus: cpus().length, node: process.version, postgres: serverVersion }, files }, null, 2),
      );
      process.stdout.write(`\nWrote ${file}\n`);
      return;
    }
    // One API per API_WORKERS value, all running for the whole measurement (an idle one costs nothing),
    // so that raw and API runs can alternate.
    for (const workers of WORKERS) apis.push({ workers, api: await startApiProcess(workers) });
    const http = new HttpClient(apis[0].api.url, 4);
    const tokens: Tokens = { owner: await login(http, 'investment_manager_1'), head: await login(http, 'department_head_1') };
    const funds = await http.call('GET', '/api/funds', tokens.owner);
    const fundId = funds.body.find((f: { type: string }) => f.type === 'venture').id;
    const pg = new Client({ connectionString: dbUrl });
    await pg.connect();
    postmasterPid = postmasterOf((await pg.query('SELECT pg_backend_pid() AS pid')).rows[0].pid as number);
    const snapshot = (await pg.query('SELECT snapshot FROM cases WHERE id = $1', [(await createCases(http, tokens, fundId, 1))[0].id]))
      .rows[0].snapshot as unknown;
    const ceiling = async (clients: number) => {
      process.stdout.write(`raw SQL, ${clients} client(s), ${DURATION_MS / 1000}s…\n`);
      const rawCases = await createCases(http, tokens, fundId, clients * 2);
      const r = await rawRun(
        dbUrl,
        snapshot,
        rawCases.map((c) => c.id),
        clients,
      );
      process.stdout.write(`the API's SQL with pg alone, ${clients} client(s), ${DURATION_MS / 1000}s…\n`);
      const sqlCases = await createCases(http, tokens, fundId, clients * 2);
      const s = await sameSqlRun(
        dbUrl,
        sqlCases.map((c) => c.id),
        clients,
      );
      return { clients, raw: r, sameSql: s };
    };
    const through = async (workers: number, api: ApiProcess, clients: number, hot?: number) => {
      const label = `API (${workers} process${workers > 1 ? 'es' : ''}), ${clients} client(s)`;
      process.stdout.write(`${label}, ${hot ? `on ${hot} hot cases` : 'own cases'}, ${DURATION_MS / 1000}s…\n`);
      return apiRun(api, tokens, fundId, clients, hot);
    };

    // 1 and 8 clients once each (they also warm the API processes up), then 32 clients ROUNDS times,
    // each round the raw ceiling, the same SQL and every API process count back to back.
    const rounds: Round[] = [];
    for (const clients of LEVELS) {
      const repeats = clients === 32 ? ROUNDS : 1;
      for (let round = 1; round <= repeats; round++) {
        const c = await ceiling(clients);
        const api: Round['api'] = [];
        for (const a of apis) api.push({ workers: a.workers, result: await through(a.workers, a.api, clients) });
        rounds.push({ round, ...c, api });
      }
    }
    const hot: { workers: number; result: RunResult }[] = [];
    for (const a of apis) hot.push({ workers: a.workers, result: await through(a.workers, a.api, 32, 4) });

    // Printed now, so that a failure while loading the bulk data loses none of it.
    const cell = (r: RunResult) => `${String(r.perSecond).padStart(6)} ev/s  ${`${r.p50} / ${r.p95} / ${r.p99}`.padEnd(22)}`;
    const cpuCell = (c?: CpuPerEvent) =>
      c ? `${c.total} = ${[c.api, c.database, c.loadGenerator].filter((x) => x !== undefined).join(' + ')}` : '-';
    process.stdout.write("\nThe ceiling (pg alone, no API): raw = lock + update + one history row; same SQL = the API's own\n");
    process.stdout.write('two statements with its task changes\n');
    process.stdout.write(
      'clients round | raw tx/s  p50 / p95 / p99 ms        | same SQL tx/s  p50 / p95 / p99 ms    | CPU ms per tx, database + pg client: raw; same SQL\n',
    );
    for (const r of rounds)
      process.stdout.write(
        `${String(r.clients).padStart(7)} ${String(r.round).padStart(5)} | ${cell(r.raw)} | ${cell(r.sameSql)} | ${cpuCell(r.raw.cpu)}; ${cpuCell(r.sameSql.cpu)}\n`,
      );
    for (const { workers } of apis) {
      process.stdout.write(
        `\nThrough the HTTP API, ${workers} API process${workers > 1 ? 'es' : ''} (API_WORKERS=${workers}), each client on its own cases\n`,
      );
      process.stdout.write(
        'clients round | API            p50 / p95 / p99 ms   | API ÷ raw | API ÷ same SQL | errors | CPU ms per event: API + database + HTTP client\n',
      );
      for (const r of rounds) {
        const a = r.api.find((x) => x.workers === workers)!.result;
        process.stdout.write(
          `${String(r.clients).padStart(7)} ${String(r.round).padStart(5)} | ${cell(a)} | ${String(pct(a, r.raw)).padStart(8)}% | ${String(pct(a, r.sameSql)).padStart(13)}% | ${String(a.errors + r.raw.errors + r.sameSql.errors).padStart(6)} | ${cpuCell(a.cpu)}\n`,
        );
      }
      const h = hot.find((x) => x.workers === workers)!.result;
      process.stdout.write(
        `Hot cases (32 clients, 4 cases): ${h.perSecond} accepted ev/s, ${h.conflicts} × 409, ${h.errors} other errors, p50/p95 ${h.p50}/${h.p95} ms\n`,
      );
    }
    const summary = apis.map(({ workers }) => {
      const ratios = rounds.filter((r) => r.clients === 32).map((r) => pct(r.api.find((x) => x.workers === workers)!.result, r.raw));
      const sameSql = rounds.filter((r) => r.clients === 32).map((r) => pct(r.api.find((x) => x.workers === workers)!.result, r.sameSql));
      const at32 = rounds.filter((r) => r.clients === 32);
      const apiCpu = at32.map((r) => Math.round((r.api.find((x) => x.workers === workers)!.result.cpu?.api ?? NaN) * 1000));
      // What API ÷ raw would be with the machine to themselves, CPU-bound: raw CPU per tx ÷ API-path CPU per event.
      const cpuRatios = at32.map((r) => {
        const a = r.api.find((x) => x.workers === workers)!.result.cpu;
        return a && r.raw.cpu && r.raw.cpu.database !== undefined ? Math.round((r.raw.cpu.total / a.total) * 100) : NaN;
      });
      return {
        workers,
        ratiosToRaw: ratios,
        medianToRaw: median(ratios),
        minToRaw: Math.min(...ratios),
        medianToSameSql: median(sameSql),
        medianApiCpuMsPerEvent: median(apiCpu) / 1000,
        cpuRatios,
        medianCpuRatio: median(cpuRatios),
      };
    });
    process.stdout.write(`\n32 clients, API ÷ raw over ${ROUNDS} interleaved rounds (compare these ratios, not absolute figures):\n`);
    for (const s of summary) {
      process.stdout.write(
        `  ${s.workers} API process${s.workers > 1 ? 'es' : ' '}: median ${s.medianToRaw}%, minimum ${s.minToRaw}% (rounds: ${s.ratiosToRaw.join('%, ')}%); median ÷ same SQL ${s.medianToSameSql}%\n` +
          `    API process CPU ${s.medianApiCpuMsPerEvent} ms per event; by CPU time, raw ÷ API path = ${s.medianCpuRatio}% (median; rounds: ${s.cpuRatios.join('%, ')}%)\n`,
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
      settings: { durationSeconds: DURATION_MS / 1000, apiPool: POOL, workers: WORKERS, rounds: ROUNDS, scale: SCALE },
      summary,
      rounds: rounds.map((r) => ({
        ...r,
        api: r.api.map((a) => ({ ...a, ratioToRaw: pct(a.result, r.raw), ratioToSameSql: pct(a.result, r.sameSql) })),
      })),
      hotCases: hot,
      data,
      queries,
      files,
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
    await Promise.all(apis.map((a) => a.api.stop()));
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
