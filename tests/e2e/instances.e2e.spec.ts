import { readFileSync } from 'node:fs';
import { Agent, request as httpRequest } from 'node:http';
import { Client } from 'pg';
import { verifyAllChains } from '../support/chains';
import { CaseDriver } from '../support/case-driver';
import { bootTestApp, startApi, type ApiProcess, type TestApp } from '../support/test-app';

/** The parent process id of a running process (Linux), or null once it is gone. */
function parentOf(pid: number): number | null {
  try {
    return Number(readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')[1]);
  } catch {
    return null;
  }
}

/** One POST on its own connection (no keep-alive), so a refused connection is told apart from a dropped request. */
function post(url: string, path: string, token: string, body: unknown): Promise<{ status: number; body: any } | { error: string }> {
  const u = new URL(url);
  const payload = Buffer.from(JSON.stringify(body));
  return new Promise((resolve) => {
    const req = httpRequest(
      {
        host: u.hostname,
        port: u.port,
        method: 'POST',
        path,
        agent: new Agent({ keepAlive: false }),
        headers: { 'content-type': 'application/json', 'content-length': payload.length, authorization: `Bearer ${token}` },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString() || 'null') }));
        res.on('error', (e: NodeJS.ErrnoException) => resolve({ error: e.code ?? e.message }));
      },
    );
    req.on('error', (e: NodeJS.ErrnoException) => resolve({ error: e.code ?? e.message }));
    req.end(payload);
  });
}

describe('several API processes, crash safety and graceful shutdown', () => {
  let t: TestApp;
  let d: CaseDriver;
  let second: ApiProcess;
  let owner: string;
  let head: string;
  beforeAll(async () => {
    t = await bootTestApp();
    d = new CaseDriver(t);
    second = await startApi({ databaseUrl: t.db.url });
    owner = (await t.as('investment_manager_1')).token;
    head = (await t.as('department_head_1')).token;
  });
  /** Processes a test started, stopped even when it fails half-way (stop() is a no-op once exited). */
  const stopAfterAll: ApiProcess[] = [];
  afterAll(async () => {
    await Promise.all(stopAfterAll.map((p) => p.stop()));
    await second.stop();
    await t.close();
  });

  const cycleEvent = (state: string, version: number) =>
    state === 'draft'
      ? { token: owner, body: { type: 'SUBMIT', expectedVersion: version } }
      : { token: head, body: { type: 'RETURN', reason: 'back to draft', expectedVersion: version } };

  /** Versions and history of a case straight from the database. */
  async function dbState(caseId: string) {
    const c = new Client({ connectionString: t.db.url });
    await c.connect();
    try {
      const row = (await c.query(`SELECT state, version FROM cases WHERE id = $1`, [caseId])).rows[0];
      const events = (
        await c.query(`SELECT type, payload FROM audit_entries WHERE case_id = $1 AND type IN ('SUBMIT', 'RETURN') ORDER BY seq`, [caseId])
      ).rows;
      const tasks = (await c.query(`SELECT kind FROM tasks WHERE case_id = $1 AND status = 'open'`, [caseId])).rows.map((r) => r.kind);
      return {
        state: row.state as string,
        version: row.version as number,
        versions: events.map((e) => e.payload.version as number),
        tasks,
      };
    } finally {
      await c.end();
    }
  }

  it('two processes on one database: the same event sent through both gives one 200 and one 409', async () => {
    const cases = await Promise.all(Array.from({ length: 10 }, () => d.create()));
    for (let round = 0; round < 4; round++) {
      for (const c of cases) {
        const current = await dbState(c.id);
        const { token, body } = cycleEvent(current.state, current.version);
        const [a, b] = await Promise.all([
          post(t.api.url, `/api/cases/${c.id}/events`, token, body),
          post(second.url, `/api/cases/${c.id}/events`, token, body),
        ]);
        expect([('status' in a && a.status) || 0, ('status' in b && b.status) || 0].sort()).toEqual([200, 409]);
      }
    }
    for (const c of cases) {
      const s = await dbState(c.id);
      expect(s.version).toBe(5);
      expect(s.versions).toEqual([2, 3, 4, 5]);
      expect(s.tasks).toEqual(['submit_proposal']);
    }
    const chains = await verifyAllChains(t.db.url);
    expect(chains.broken).toEqual([]);
  });

  it('a process that last wrote a case still answers from the database once another process moved it', async () => {
    const c = await d.create();
    const at = (url: string, body: Record<string, unknown>, token = owner) => post(url, `/api/cases/${c.id}/events`, token, body);
    const status = (r: Awaited<ReturnType<typeof post>>) => ('status' in r ? r.status : r.error);
    expect(status(await at(t.api.url, { type: 'SUBMIT', expectedVersion: 1 }))).toBe(200); // the first process wrote version 2
    expect(status(await at(second.url, { type: 'RETURN', reason: 'Needs more work.', expectedVersion: 2 }, head))).toBe(200); // the second, version 3
    // Stale senders through the first process: 409, whether its memory of version 2 would accept the
    // event (RETURN) or refuse it (SUBMIT is not allowed in screening).
    const stale = await at(t.api.url, { type: 'RETURN', reason: 'Again.', expectedVersion: 2 }, head);
    expect('status' in stale && stale.status === 409 && stale.body.details).toMatchObject({ currentVersion: 3, currentState: 'draft' });
    expect(status(await at(t.api.url, { type: 'SUBMIT', expectedVersion: 2 }))).toBe(409);
    expect(status(await at(t.api.url, { type: 'SUBMIT', expectedVersion: 3 }))).toBe(200);
    expect((await dbState(c.id)).versions).toEqual([2, 3, 4]);
    expect((await verifyAllChains(t.db.url)).broken).toEqual([]);
  });

  it('a process killed with SIGKILL mid-stream loses no acknowledged event and leaves nothing half-written', async () => {
    const victim = await startApi({ databaseUrl: t.db.url });
    stopAfterAll.push(victim);
    const cases = await Promise.all(Array.from({ length: 8 }, () => d.create()));
    const acknowledged = new Map<string, number[]>(cases.map((c) => [c.id, []]));
    let stop = false;
    const streams = cases.map(async (c) => {
      let state = 'draft';
      let version = 1;
      while (!stop) {
        const { token, body } = cycleEvent(state, version);
        const r = await post(victim.url, `/api/cases/${c.id}/events`, token, body);
        if (!('status' in r)) return; // the process is gone
        expect(r.status).toBe(200);
        acknowledged.get(c.id)!.push(r.body.version);
        state = r.body.state;
        version = r.body.version;
      }
    });
    await new Promise((r) => setTimeout(r, 600));
    await victim.stop('SIGKILL');
    stop = true;
    await Promise.all(streams);
    let total = 0;
    for (const c of cases) {
      const acked = acknowledged.get(c.id)!;
      total += acked.length;
      const s = await dbState(c.id);
      // Every acknowledged event is in the history …
      for (const v of acked) expect(s.versions).toContain(v);
      // … and the history, the version and the tasks agree (nothing half-written).
      expect(s.versions).toEqual(Array.from({ length: s.version - 1 }, (_, i) => i + 2));
      expect(s.state).toBe(s.versions.length % 2 === 0 ? 'draft' : 'screening');
      expect(s.tasks).toEqual([s.state === 'draft' ? 'submit_proposal' : 'screening_review']);
    }
    expect(total).toBeGreaterThan(0);
    expect((await verifyAllChains(t.db.url)).broken).toEqual([]);
    // The survivors keep working on the same cases.
    const s = await dbState(cases[0].id);
    const { token, body } = cycleEvent(s.state, s.version);
    const after = await post(second.url, `/api/cases/${cases[0].id}/events`, token, body);
    expect('status' in after && after.status).toBe(200);
  });

  it('SIGTERM stops accepting, finishes in-flight requests, closes the pool and exits 0', async () => {
    const proc = await startApi({ databaseUrl: t.db.url, env: { LOG_LEVEL: 'info' } });
    stopAfterAll.push(proc);
    const cases = await Promise.all(Array.from({ length: 30 }, () => d.create()));
    const inFlight = cases.map((c) => post(proc.url, `/api/cases/${c.id}/events`, owner, { type: 'SUBMIT', expectedVersion: 1 }));
    await new Promise((r) => setTimeout(r, 5));
    const exit = proc.stop('SIGTERM');
    const results = await Promise.all(inFlight);
    expect(await exit).toBe(0);
    let done = 0;
    for (let i = 0; i < cases.length; i++) {
      const r = results[i];
      const s = await dbState(cases[i].id);
      if ('status' in r) {
        expect(r.status).toBe(200);
        expect(s.version).toBe(2);
        done++;
      } else {
        // Never reached the application: refused, or reset while still in the listen backlog when the
        // listening socket closed. Either way nothing was written.
        expect(['ECONNREFUSED', 'ECONNRESET']).toContain(r.error);
        expect(s.version).toBe(1);
      }
    }
    expect(done).toBeGreaterThan(0);
    expect(proc.output()).toMatch(/Stopped cleanly/);
    const c = new Client({ connectionString: t.db.url });
    await c.connect();
    const mine = `patient-capital-workflow:${proc.child.pid}`;
    const open = (await c.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1`, [mine])).rows[0].n;
    const others = (
      await c.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name LIKE 'patient-capital-workflow:%'`)
    ).rows[0].n;
    await c.end();
    expect(open).toBe(0); // the stopped process closed its pool
    expect(others).toBeGreaterThan(0); // while the processes still running keep theirs
    expect((await verifyAllChains(t.db.url)).broken).toEqual([]);
  });

  it('API_WORKERS=2 runs two API processes on one port, both serving, and stops them all on SIGTERM', async () => {
    const cluster = await startApi({ databaseUrl: t.db.url, env: { API_WORKERS: '2', LOG_LEVEL: 'info' } });
    stopAfterAll.push(cluster);
    // Health answered from the first worker; wait for the second before spreading connections.
    for (let i = 0; i < 200 && !/All API processes listening/.test(cluster.output()); i++) await new Promise((r) => setTimeout(r, 50));
    expect(cluster.output()).toMatch(/All API processes listening/);
    const cases = await Promise.all(Array.from({ length: 20 }, () => d.create()));
    // A connection of its own per request, so that the primary hands them out to both workers.
    const results = await Promise.all(
      cases.map((c) => post(cluster.url, `/api/cases/${c.id}/events`, owner, { type: 'SUBMIT', expectedVersion: 1 })),
    );
    expect(results.map((r) => ('status' in r ? r.status : r.error))).toEqual(Array(20).fill(200));
    const c = new Client({ connectionString: t.db.url });
    await c.connect();
    try {
      const apiPids = async () =>
        (
          await c.query(
            `SELECT DISTINCT application_name AS name FROM pg_stat_activity WHERE application_name LIKE 'patient-capital-workflow:%'`,
          )
        ).rows
          .map((r) => Number(r.name.split(':')[1]))
          .filter((pid) => parentOf(pid) === cluster.child.pid);
      const workers = await apiPids();
      expect(workers).toHaveLength(2);
      expect(await cluster.stop('SIGTERM')).toBe(0);
      for (const pid of workers) expect(() => process.kill(pid, 0)).toThrow(); // no orphan left running
      const left = (
        await c.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = ANY($1)`, [
          workers.map((pid) => `patient-capital-workflow:${pid}`),
        ])
      ).rows[0].n;
      expect(left).toBe(0);
    } finally {
      await c.end();
    }
    expect(cluster.output()).toMatch(/Stopped cleanly/);
  });
});
