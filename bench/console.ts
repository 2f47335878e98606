/**
 * `npm run bench:console`: a scripted timing run of the console (not a test). A fresh database with
 * 100,000 open tasks in the compliance queue and one case with 200 history entries; headless Chromium
 * (as the browser tests drive it) times the queue screen (first page, next page) and the case
 * workspace's timeline, five runs each, and prints the timings.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { withDefaultUser } from '../libs/config/src/database-url';
import { startEmbeddedDatabase } from '../libs/persistence/src/embedded-database';
import { chromium } from 'playwright-core';
import { CHROMIUM_PATH, HAS_CHROMIUM } from '../tests/support/chromium';
import { freePort, ROOT } from '../tests/support/global-setup';
import { DEMO_PASSWORD, startApi } from '../tests/support/test-app';

const TASKS = 100_000;
const HISTORY_CYCLES = 100; // SUBMIT + RETURN: two entries each
const RUNS = 5;

async function main(): Promise<void> {
  if (!HAS_CHROMIUM) throw new Error('No Chromium at /usr/bin/chromium (apt-get install chromium)');
  execFileSync(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(ROOT, 'tsconfig.build.json')], {
    stdio: 'inherit',
  });
  execFileSync(process.execPath, [join(ROOT, 'scripts', 'build-console.mjs')], { stdio: 'inherit' });
  let adminUrl = process.env.DATABASE_URL ? withDefaultUser(process.env.DATABASE_URL) : undefined;
  let stopEmbedded: (() => Promise<void>) | undefined;
  if (!adminUrl) {
    const embedded = await startEmbeddedDatabase({
      dataDir: mkdtempSync(join(tmpdir(), 'pcw-bench-console-')),
      port: await freePort(),
      database: 'postgres',
      persistent: false,
    });
    adminUrl = embedded.adminUrl;
    stopEmbedded = () => embedded.stop();
  }
  const dbName = `pcw_bench_console_${Date.now().toString(36)}`;
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${dbName}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${dbName}`;
  const dbUrl = url.toString();
  execFileSync(process.execPath, [join(ROOT, 'scripts', 'start.js'), '--seed-only'], {
    env: { ...process.env, DATABASE_URL: dbUrl, JWT_SECRET: 'b'.repeat(48), LOG_LEVEL: 'warn', ALLOW_DEMO_USERS: 'true' },
    stdio: 'inherit',
  });
  const api = await startApi({ databaseUrl: dbUrl, env: { JWT_TTL_SECONDS: '86400' } });
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    const call = async (token: string | null, method: string, path: string, body?: unknown) => {
      const res = await fetch(`${api.url}${path}`, {
        method,
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const json = (await res.json()) as Record<string, unknown>;
      if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
      return json;
    };
    const login = async (username: string) =>
      (await call(null, 'POST', '/api/auth/login', { username, password: DEMO_PASSWORD })).accessToken as string;
    const owner = await login('investment_manager_1');
    const head = await login('department_head_1');
    const funds = (await call(owner, 'GET', '/api/funds')) as unknown as { id: string }[];
    const c = await call(owner, 'POST', '/api/cases', {
      fundId: funds[0].id,
      companyName: '长历史测试',
      sector: 'bench',
      requestedAmountFen: 100_000_000,
      summary: 'bench',
    });
    const id = c.id as string;
    let version = c.version as number;
    for (let i = 0; i < HISTORY_CYCLES; i++) {
      version = (await call(owner, 'POST', `/api/cases/${id}/events`, { type: 'SUBMIT', expectedVersion: version })).version as number;
      version = (
        await call(head, 'POST', `/api/cases/${id}/events`, { type: 'RETURN', reason: `第 ${i + 1} 次退回`, expectedVersion: version })
      ).version as number;
    }
    const pg = new Client({ connectionString: dbUrl });
    await pg.connect();
    const t0 = Date.now();
    await pg.query(
      `INSERT INTO cases (id, fund_id, company_name, sector, requested_amount_fen, summary, owner_id, state, snapshot, machine_version, version, head_hash, created_at, updated_at)
       SELECT gen_random_uuid(), fund_id, 'Gen ' || g, 'generated', 100000000, 'generated', owner_id, 'exemptionReview.verification', snapshot, machine_version, 1,
              repeat('0', 64), now(), now()
         FROM cases, generate_series(1, $1::int) g WHERE id = $2`,
      [TASKS, id],
    );
    await pg.query(
      `INSERT INTO tasks (case_id, key, kind, queue, case_state, assignee_id, status, due_at, created_at)
       SELECT id, 'verify_criterion:generated', 'verify_criterion', 'compliance_officer', 'exemptionReview.verification', NULL, 'open',
              now() + (abs(hashtext(id::text)::bigint) % 1209600 - 302400) * interval '1 second', now()
         FROM cases WHERE company_name LIKE 'Gen %'`,
    );
    await pg.query('VACUUM ANALYZE cases');
    await pg.query('VACUUM ANALYZE tasks');
    const open = (await pg.query(`SELECT count(*)::int AS n FROM tasks WHERE status = 'open' AND queue = 'compliance_officer'`)).rows[0]
      .n as number;
    await pg.end();
    process.stdout.write(
      `data: ${open} open compliance tasks, one case with ${HISTORY_CYCLES * 2 + 1} history entries (${((Date.now() - t0) / 1000).toFixed(1)} s)\n`,
    );

    const context = await browser.newContext({
      baseURL: api.url,
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
      viewport: { width: 1360, height: 900 },
    });
    const page = await context.newPage();
    await page.goto('/login');
    await page.getByLabel('用户名').fill('compliance_officer_1');
    await page.getByLabel('密码').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: '登录' }).click();
    await page.getByRole('button', { name: '退出登录' }).waitFor();
    const timings: Record<string, number[]> = {
      'queue: first page (50 of 100,000)': [],
      'queue: next page': [],
      'case: 200-entry timeline': [],
    };
    for (let run = 0; run < RUNS; run++) {
      let s = Date.now();
      await page.goto('/work?queue=compliance_officer');
      await page.getByRole('row').filter({ hasText: 'Gen ' }).nth(49).waitFor();
      timings['queue: first page (50 of 100,000)'].push(Date.now() - s);
      const first = await page.getByRole('row').nth(1).innerText();
      s = Date.now();
      await page.getByRole('button', { name: '下一页' }).click();
      await page.waitForFunction(`document.querySelectorAll('tbody tr')[0]?.innerText !== ${JSON.stringify(first)}`);
      await page.getByRole('row').filter({ hasText: 'Gen ' }).nth(49).waitFor();
      timings['queue: next page'].push(Date.now() - s);
      s = Date.now();
      await page.goto(`/cases/${id}?tab=timeline`);
      await page.getByText(`第 ${HISTORY_CYCLES} 次退回`).waitFor();
      timings['case: 200-entry timeline'].push(Date.now() - s);
    }
    process.stdout.write(`\nconsole timings, ${RUNS} runs (ms, navigation start to content visible):\n`);
    for (const [name, xs] of Object.entries(timings)) {
      const sorted = [...xs].sort((a, b) => a - b);
      process.stdout.write(
        `  ${name.padEnd(36)} median ${String(sorted[Math.floor(sorted.length / 2)]).padStart(5)}   min ${String(sorted[0]).padStart(5)}   max ${String(sorted[sorted.length - 1]).padStart(5)}\n`,
      );
    }
    await context.close();
  } finally {
    await browser.close();
    await api.stop();
    if (stopEmbedded) await stopEmbedded();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
