/**
 * `npm run bench -- --soak=<minutes>`: the API under a steady load for a long time, to see whether it
 * stays healthy: events at a fixed rate (--rate, 300 per second) through one API process, each minute
 * printing how many were answered, the latency percentiles and the API's resident memory; at the end,
 * every chain and checkpoint verified. Prints what the issue asks of a soak (no errors, p99 stable,
 * memory flat) and writes JSON under bench/results/. Not a test: nothing here fails the run.
 *
 * The load is open-loop: event n is due at start + n / rate, whether or not earlier answers have come
 * back, and its latency counts from when it was due (a stall shows as latency, not as a slower rate).
 * An event that finds every case with an answer outstanding (or 128 requests in flight) is not sent and
 * is counted as skipped: a soak with skipped events did not hold the rate.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { ensureLoginRole } from '../libs/persistence/src/database-roles';
import { ROOT } from '../tests/support/global-setup';
import { startApi, type ApiProcess } from '../tests/support/test-app';
import { HttpClient, summarize } from './http-client';
import { createCases, login, nextEvent, processTree, type Tokens } from './workload';

export interface SoakOptions {
  /** The database, as its owner (who migrates). */
  dbUrl: string;
  /** A role that may create roles: the API's own login role is made with it. */
  adminUrl: string;
  minutes: number;
  /** Events per second. */
  rate: number;
  /** API_WORKERS of the API under test. */
  workers: number;
  pool: number;
  postgres: string;
}

interface CaseState {
  id: string;
  version: number;
  state: string;
  busy: boolean;
}

interface Minute {
  minute: number;
  due: number;
  answered: number;
  perSecond: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  conflicts: number;
  errors: number;
  /** Events due this minute that could not be sent because every case had one in flight. */
  skipped: number;
  /** The API's resident memory at the end of the minute (the process and its workers), MiB. */
  rssMiB: number;
}

/** Resident memory (KiB) of a process and its direct children, from /proc (Linux). */
function treeRssKiB(root: number): number {
  let total = 0;
  for (const { pid } of processTree(root)) {
    try {
      total += Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
    } catch {
      // gone meanwhile
    }
  }
  return total;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function soak(opts: SoakOptions): Promise<void> {
  const startedAt = new Date().toISOString();
  const checkpointDir = mkdtempSync(join(tmpdir(), 'pcw-soak-checkpoints-'));
  const keyFile = join(checkpointDir, '..', `${checkpointDir.split('/').pop()}-key.pem`);
  writeFileSync(keyFile, generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  // A production-like process: the API logs in as a role without ownership (the owner migrates and
  // grants), checkpoints every minute, the scheduler running, warn-level logs.
  const apiRole = 'pcw_bench_api';
  const apiPassword = randomBytes(18).toString('base64url');
  await ensureLoginRole(opts.adminUrl, apiRole, apiPassword);
  const apiUrl = new URL(opts.dbUrl);
  apiUrl.username = apiRole;
  apiUrl.password = apiPassword;
  const api: ApiProcess = await startApi({
    databaseUrl: opts.dbUrl,
    env: {
      DATABASE_URL: apiUrl.toString(),
      MIGRATION_DATABASE_URL: opts.dbUrl,
      DB_POOL_SIZE: String(opts.pool),
      LOG_LEVEL: 'warn',
      API_WORKERS: String(opts.workers),
      JWT_TTL_SECONDS: '86400',
      SCHEDULER_INTERVAL_MS: '60000',
      CHECKPOINT_DIR: checkpointDir,
      CHECKPOINT_KEY_FILE: keyFile,
      CHECKPOINT_INTERVAL_MS: '60000',
    },
  });
  const maxInFlight = 128;
  const http = new HttpClient(api.url, maxInFlight);
  try {
    const tokens: Tokens = { owner: await login(http, 'investment_manager_1'), head: await login(http, 'department_head_1') };
    const auditor = await login(http, 'auditor_1');
    const compliance = await login(http, 'compliance_officer_1');
    const funds = await http.call('GET', '/api/funds', tokens.owner);
    const fundId = funds.body.find((f: { type: string }) => f.type === 'venture').id;

    // Enough cases that each moves about once a second: a case has at most one event in flight.
    const caseCount = Math.max(64, Math.ceil(opts.rate));
    process.stdout.write(`Soak: creating ${caseCount} cases…\n`);
    const cases: CaseState[] = (await createCases(http, tokens, fundId, caseCount)).map((c) => ({ ...c, busy: false }));

    process.stdout.write(
      `Soak: ${opts.rate} events/s for ${opts.minutes} min through ${opts.workers} API process${opts.workers > 1 ? 'es' : ''} ` +
        `(pool ${opts.pool}), checkpoints every minute\n`,
    );
    process.stdout.write('minute |    due | answered |  ev/s | p50 / p95 / p99 / max ms         | 409 | errors | skipped | API RSS MiB\n');
    const periodMs = 60_000;
    const start = performance.now();
    const end = start + opts.minutes * periodMs;
    let n = 0; // events scheduled so far
    let next = 0; // the next case to try
    let current = { latencies: [] as number[], due: 0, conflicts: 0, errors: 0, skipped: 0 };
    const inFlight = new Set<Promise<void>>();
    let minuteEnd = start + periodMs;

    const send = (c: CaseState, dueAt: number, bucket: typeof current) => {
      c.busy = true;
      const { token, body } = nextEvent(c, tokens);
      const p = http
        .call('POST', `/api/cases/${c.id}/events`, token, body)
        .then((r) => {
          if (r.status === 200) {
            bucket.latencies.push(performance.now() - dueAt);
            c.version = r.body.version;
            c.state = r.body.state;
          } else if (r.status === 409) {
            bucket.conflicts++;
            c.version = r.body.details?.currentVersion ?? c.version;
            c.state = r.body.details?.currentState ?? c.state;
          } else {
            bucket.errors++;
            if (bucket.errors < 4) process.stderr.write(`unexpected ${r.status}: ${JSON.stringify(r.body).slice(0, 300)}\n`);
          }
        })
        .catch((err: Error) => {
          bucket.errors++;
          if (bucket.errors < 4) process.stderr.write(`request failed: ${err.message}\n`);
        })
        .finally(() => {
          c.busy = false;
          inFlight.delete(p);
        });
      inFlight.add(p);
    };

    type Bucket = typeof current;
    const closed: { bucket: Bucket; rssMiB: number; answered: number }[] = [];
    const summaryOf = (i: number, bucket: Bucket, rssMiB: number): Minute => {
      const s = summarize(bucket.latencies);
      return {
        minute: i + 1,
        due: bucket.due,
        answered: bucket.latencies.length,
        perSecond: Math.round(bucket.latencies.length / 60),
        p50: s.p50,
        p95: s.p95,
        p99: s.p99,
        max: Math.round(Math.max(0, ...bucket.latencies) * 100) / 100,
        conflicts: bucket.conflicts,
        errors: bucket.errors,
        skipped: bucket.skipped,
        rssMiB,
      };
    };
    const closeMinute = () => {
      const bucket = current;
      current = { latencies: [], due: 0, conflicts: 0, errors: 0, skipped: 0 };
      const m = summaryOf(closed.length, bucket, Math.round(treeRssKiB(api.child.pid!) / 1024));
      closed.push({ bucket, rssMiB: m.rssMiB, answered: m.answered });
      process.stdout.write(
        `${String(m.minute).padStart(6)} | ${String(m.due).padStart(6)} | ${String(m.answered).padStart(8)} | ${String(m.perSecond).padStart(5)} | ` +
          `${`${m.p50} / ${m.p95} / ${m.p99} / ${m.max}`.padEnd(32)} | ${String(m.conflicts).padStart(3)} | ${String(m.errors).padStart(6)} | ` +
          `${String(m.skipped).padStart(7)} | ${m.rssMiB}\n`,
      );
    };

    while (performance.now() < end) {
      const now = performance.now();
      // Every event due by now is sent (or counted as skipped when all its cases are busy).
      while (start + (n * 1000) / opts.rate <= now && start + (n * 1000) / opts.rate < end) {
        const dueAt = start + (n * 1000) / opts.rate;
        n++;
        current.due++;
        let c: CaseState | undefined;
        for (let tries = 0; tries < cases.length && inFlight.size < maxInFlight; tries++) {
          const candidate = cases[next++ % cases.length];
          if (!candidate.busy) {
            c = candidate;
            break;
          }
        }
        if (c) send(c, dueAt, current);
        else current.skipped++;
      }
      if (now >= minuteEnd) {
        // Answers still in flight count in the minute they were due in: wait for them briefly.
        await Promise.race([Promise.all([...inFlight]), sleep(2_000)]);
        closeMinute();
        minuteEnd += periodMs;
      }
      await sleep(2);
    }
    await Promise.all([...inFlight]);
    if (current.due) closeMinute();
    // Answers that came back after their minute was printed still count, in the minute they were due in.
    const late = closed.reduce((sum, c) => sum + c.bucket.latencies.length - c.answered, 0);
    const minutes = closed.map((c, i) => summaryOf(i, c.bucket, c.rssMiB));
    if (late > 0) process.stdout.write(`${late} answer(s) came after their minute was printed; the summary and the JSON count them\n`);

    process.stdout.write('Verifying every chain and the checkpoints…\n');
    const t0 = performance.now();
    // A last checkpoint pins the final heads, then the auditor verifies every chain against all of them.
    const written = await http.call('POST', '/api/audit/checkpoints', compliance);
    if (written.status !== 201 && written.status !== 200)
      process.stderr.write(`checkpoint: ${written.status} ${JSON.stringify(written.body).slice(0, 300)}\n`);
    const verify = await http.call('GET', '/api/audit/verify', auditor);
    const verifyMs = Math.round(performance.now() - t0);
    const v = verify.body as {
      valid?: boolean;
      chains?: number;
      checked?: number;
      checkpoints?: { valid?: boolean; checkpoints?: number; pinnedChains?: number; problems?: string[] };
    };
    const checkpointFiles = readdirSync(checkpointDir).filter((f) => f.endsWith('.json')).length;

    const total = minutes.reduce(
      (a, m) => ({
        answered: a.answered + m.answered,
        errors: a.errors + m.errors,
        conflicts: a.conflicts + m.conflicts,
        skipped: a.skipped + m.skipped,
      }),
      { answered: 0, errors: 0, conflicts: 0, skipped: 0 },
    );
    const full = minutes.filter((m) => m.due >= opts.rate * 55); // whole minutes only
    const second = full[1] ?? full[0];
    const last = full[full.length - 1];
    const rssChange = second && last ? Math.round(((last.rssMiB - second.rssMiB) / second.rssMiB) * 1000) / 10 : NaN;
    const p99s = (full.length > 1 ? full.slice(1) : full).map((m) => m.p99);
    const verdict = {
      errors: total.errors,
      conflicts: total.conflicts,
      skipped: total.skipped,
      p99Min: Math.min(...p99s),
      p99Max: Math.max(...p99s),
      rssSecondMinuteMiB: second?.rssMiB,
      rssLastMinuteMiB: last?.rssMiB,
      rssChangePercent: rssChange,
      chainsValid: verify.status === 200 ? v.valid : undefined,
      chains: v.chains,
      entriesChecked: v.checked,
      checkpointsValid: v.checkpoints?.valid,
      checkpointsRead: v.checkpoints?.checkpoints,
      pinnedChains: v.checkpoints?.pinnedChains,
      verifyStatus: verify.status,
      verifyMs,
      checkpointFiles,
    };
    process.stdout.write(
      `\n${total.answered} events answered, ${total.errors} errors, ${total.conflicts} × 409, ${total.skipped} skipped (no idle case)\n` +
        `p99 per whole minute (after the first, when there are more): ${verdict.p99Min}–${verdict.p99Max} ms\n` +
        `API RSS: minute 2 ${verdict.rssSecondMinuteMiB} MiB, last minute ${verdict.rssLastMinuteMiB} MiB (${rssChange >= 0 ? '+' : ''}${rssChange}%; the issue asks within 10%)\n` +
        (verify.status === 200
          ? `${v.chains} chains, ${v.checked} entries: ${v.valid ? 'valid' : 'NOT valid'}; ${v.checkpoints?.checkpoints} checkpoints ` +
            `(${checkpointFiles} files) pinning ${v.checkpoints?.pinnedChains} chains: ${v.checkpoints?.valid ? 'valid' : 'NOT valid'} (${verifyMs} ms)\n`
          : `verify answered ${verify.status}\n`),
    );
    if (verify.status === 200 && !v.valid) process.stdout.write(`${JSON.stringify(verify.body).slice(0, 2000)}\n`);

    mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true });
    const file = join(ROOT, 'bench', 'results', `${startedAt.replace(/[:.]/g, '-')}-soak.json`);
    writeFileSync(
      file,
      JSON.stringify(
        {
          startedAt,
          machine: { cpus: cpus().length, memGiB: Math.round(totalmem() / 2 ** 30), node: process.version, postgres: opts.postgres },
          settings: { minutes: opts.minutes, rate: opts.rate, workers: opts.workers, apiPool: opts.pool, cases: caseCount },
          verdict,
          minutes,
        },
        null,
        2,
      ),
    );
    process.stdout.write(`\nWrote ${file}\n`);
  } finally {
    http.close();
    await api.stop();
    rmSync(checkpointDir, { recursive: true, force: true });
    rmSync(keyFile, { force: true });
  }
}
