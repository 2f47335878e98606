import { readFileSync } from 'node:fs';
import { Client } from 'pg';
import { startApi } from './tests/support/test-app';
import { HttpClient } from './bench/http-client';
import { runMigrations } from './libs/persistence/src/migrate';
import { execFileSync } from 'node:child_process';

const cpu = (pid: number) => { const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' '); return (Number(f[11]) + Number(f[12])) * 10; };
async function main() {
  const admin = new Client({ connectionString: 'postgres://postgres@127.0.0.1:5432/test' }); await admin.connect();
  const db = `pcw_cpu_${Date.now()}`; await admin.query(`CREATE DATABASE ${db}`);
  const url = `postgres://postgres@127.0.0.1:5432/${db}`;
  await runMigrations(url);
  execFileSync(process.execPath, ['scripts/start.js', '--seed-only'], { env: { ...process.env, DATABASE_URL: url, JWT_SECRET: 'b'.repeat(48), LOG_LEVEL: 'warn' } });
  const api = await startApi({ databaseUrl: url, env: { LOG_LEVEL: 'warn' }, nodeArgs: process.argv.includes('--prof') ? ['--cpu-prof', '--cpu-prof-dir=/tmp/mb'] : [] });
  const http = new HttpClient(api.url, 8);
  const login = async (u: string) => (await http.call('POST', '/api/auth/login', undefined, { username: u, password: 'demo-password' })).body.accessToken;
  const owner = await login('investment_manager_1'); const head = await login('department_head_1');
  const fundId = (await http.call('GET', '/api/funds', owner)).body[0].id;
  const cases: any[] = [];
  for (let i = 0; i < 16; i++) cases.push((await http.call('POST', '/api/cases', owner, { fundId, companyName: `C${i}`, sector: 's', requestedAmountFen: 1, summary: 's' })).body);
  const N = Number(process.argv[2] ?? 3000);
  let done = 0;
  const run = async (n: number) => Promise.all(Array.from({ length: 8 }, async (_, k) => {
    for (let i = 0; i < n / 8; i++) {
      const c = cases[k * 2 + (i % 2)];
      const body = c.state === 'draft' ? { type: 'SUBMIT', expectedVersion: c.version } : { type: 'RETURN', reason: 'back', expectedVersion: c.version };
      const r = await http.call('POST', `/api/cases/${c.id}/events`, c.state === 'draft' ? owner : head, body);
      if (r.status !== 200) throw new Error(JSON.stringify(r.body)); c.version = r.body.version; c.state = r.body.state; done++;
    }
  }));
  await run(800); // warm-up
  const c0 = cpu(api.child.pid!); const t0 = Date.now();
  await run(N);
  const c1 = cpu(api.child.pid!); const t1 = Date.now();
  console.log(`API CPU per event: ${((c1 - c0) / N * 1000).toFixed(0)} µs; ${Math.round(N / ((t1 - t0) / 1000))} ev/s wall`);
  http.close(); await api.stop(); await admin.query(`DROP DATABASE ${db} WITH (FORCE)`); await admin.end();
}
main().catch((e) => { console.error(e); process.exit(1); });
