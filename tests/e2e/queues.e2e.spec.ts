import { Client } from 'pg';
import type { TaskView } from '@app/domain';
import { verifyAllChains } from '../support/chains';
import { CaseDriver, COMMITTEE } from '../support/case-driver';
import { startScheduler, type Scheduler } from '../support/scheduler';
import { asSuperuser } from '../support/test-database';
import { bootTestApp, startApi, type TestApp } from '../support/test-app';

const DAY = 86_400_000;

type Task = TaskView;

describe('review queues: tasks, claims and escalation', () => {
  let t: TestApp;
  let d: CaseDriver;
  beforeAll(async () => {
    t = await bootTestApp();
    d = new CaseDriver(t);
  });
  afterAll(() => t.close());

  async function tasks(username: string, query: Record<string, string> = {}): Promise<Task[]> {
    const { auth } = await t.as(username);
    const res = await t
      .http()
      .get('/api/tasks')
      .query({ limit: '200', ...query })
      .set(auth);
    if (res.status !== 200) throw new Error(`list tasks failed: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.items;
  }
  const ofCase = (caseId: string, status: 'open' | 'done' = 'open') => tasks('auditor_1', { caseId, status });
  const kinds = (list: Task[]) => list.map((x) => `${x.queue}:${x.key.replace(/:[0-9a-f-]{36}$/, ':<user>')}`).sort();

  async function post(username: string, path: string) {
    const { auth } = await t.as(username);
    return t.http().post(path).set(auth).send();
  }

  /**
   * A second API process on the same database whose clock runs `offsetMs` ahead (or behind), through
   * the test-only CLOCK_OFFSET_MS setting: a case created there has tasks opened (and due) then.
   */
  async function createShifted(offsetMs: number, count = 1): Promise<string[]> {
    const api = await startApi({ databaseUrl: t.db.url, env: { CLOCK_OFFSET_MS: String(offsetMs) } });
    try {
      // Logged in on that process: a session is valid by the clock of the process that checks it.
      const login = await fetch(`${api.url}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'investment_manager_3', password: 'demo-password' }),
      });
      const auth = { authorization: `Bearer ${((await login.json()) as { accessToken: string }).accessToken}` };
      const fundId = await d.fundId();
      const ids: string[] = [];
      for (let i = 0; i < count; i++) {
        const res = await fetch(`${api.url}/api/cases`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...auth },
          body: JSON.stringify({ fundId, companyName: `Shifted ${i}`, sector: 'Tech', requestedAmountFen: 100_000, summary: 's' }),
        });
        if (res.status !== 201) throw new Error(`create on the shifted API failed: ${res.status} ${await res.text()}`);
        ids.push(((await res.json()) as { id: string }).id);
      }
      return ids;
    } finally {
      await api.stop();
    }
  }

  it('opens a task for each piece of work a state waits on, and closes it with the transition', async () => {
    const owner = await t.as('investment_manager_1');
    const c = await d.create();
    expect(kinds(await ofCase(c.id))).toEqual(['investment_manager:submit_proposal']);
    // A queue row names its case and fund, so a page of rows needs no call per case.
    expect(await ofCase(c.id)).toEqual([expect.objectContaining({ caseId: c.id, companyName: c.companyName, fundId: c.fundId })]);
    expect((await ofCase(c.id))[0].assigneeId).toBe(owner.id);

    await d.ok(c.id, 'investment_manager_1', { type: 'SUBMIT' });
    expect(kinds(await ofCase(c.id))).toEqual(['department_head:screening_review']);
    const done = await ofCase(c.id, 'done');
    expect(done.map((x) => x.kind)).toEqual(['submit_proposal']);
    expect(done[0]).toMatchObject({ status: 'done', overdue: false });

    await d.ok(c.id, 'department_head_1', { type: 'APPROVE', reason: 'Fits the strategy.' });
    expect(kinds(await ofCase(c.id))).toEqual([
      'investment_manager:dd_report:business',
      'investment_manager:dd_report:financial',
      'investment_manager:dd_report:technical',
      'legal_officer:dd_report:legal',
    ]);
    await d.ok(c.id, 'legal_officer_1', { type: 'SUBMIT_DD_REPORT', workstream: 'legal', conclusion: 'Clean', findings: 'No issue' });
    expect(kinds(await ofCase(c.id))).not.toContain('legal_officer:dd_report:legal');
    for (const workstream of ['business', 'financial', 'technical']) {
      await d.ok(c.id, 'investment_manager_1', { type: 'SUBMIT_DD_REPORT', workstream, conclusion: 'Positive', findings: 'Fine' });
    }
    expect(kinds(await ofCase(c.id))).toEqual(['risk_officer:risk_review']);
    await d.ok(c.id, 'risk_officer_1', { type: 'RISK_OPINION', opinion: 'pass', reason: 'Acceptable.' });

    // Committee: one vote task per member (assigned to that member), one close task for the chair.
    const committee = await ofCase(c.id);
    expect(committee.filter((x) => x.kind === 'vote')).toHaveLength(COMMITTEE.length + 1);
    const member1 = await t.as('committee_member_1');
    expect(committee.find((x) => x.kind === 'vote' && x.assigneeId === member1.id)?.queue).toBe('committee_member');
    expect(committee.filter((x) => x.kind === 'close_voting').map((x) => x.queue)).toEqual(['committee_chair']);
    await d.vote(c.id, ['approve']);
    const afterVote = await ofCase(c.id);
    expect(afterVote.find((x) => x.kind === 'vote' && x.assigneeId === member1.id)).toBeUndefined();
    expect(afterVote.filter((x) => x.kind === 'vote')).toHaveLength(COMMITTEE.length);
    // Each member sees the vote waiting on them in their own queue.
    const mine = await tasks('committee_member_2', { assignee: 'me' });
    expect(mine.filter((x) => x.caseId === c.id).map((x) => x.kind)).toEqual(['vote']);
  });

  it('shows each person only the queues of their roles; auditors see every queue read-only', async () => {
    const c = await d.create('investment_manager_2');
    await d.ok(c.id, 'investment_manager_2', { type: 'SUBMIT' });
    expect((await tasks('department_head_1', { queue: 'department_head' })).map((x) => x.caseId)).toContain(c.id);
    expect((await tasks('department_head_1')).every((x) => x.queue === 'department_head' || x.escalatedTo === 'department_head')).toBe(
      true,
    );
    expect((await tasks('risk_officer_1')).map((x) => x.caseId)).not.toContain(c.id);
    expect((await tasks('auditor_1', { queue: 'department_head' })).map((x) => x.caseId)).toContain(c.id);

    const { auth } = await t.as('investment_manager_1');
    const refused = await t.http().get('/api/tasks').query({ queue: 'risk_officer' }).set(auth);
    expect(refused.status).toBe(403);
    expect(refused.body.message).toMatch(/You may not see the risk_officer queue; your queues are investment_manager/);
    const admin = await t.as('admin_1');
    expect((await t.http().get('/api/tasks').set(admin.auth)).status).toBe(403);
    const bad = await t.http().get('/api/tasks').query({ queue: 'nobody', limit: '0' }).set(auth);
    expect(bad.status).toBe(400);
    const cursor = await t.http().get('/api/tasks').query({ cursor: 'not-a-cursor' }).set(auth);
    expect(cursor.status).toBe(400);
    expect(cursor.body.message).toMatch(/cursor is not valid/);
  });

  it('claims and releases with 409 when someone else holds the task, and records both', async () => {
    const c = await d.create();
    await d.ok(c.id, 'investment_manager_1', { type: 'SUBMIT' });
    const [task] = await ofCase(c.id);
    const head1 = await t.as('department_head_1');

    const claimed = await post('department_head_1', `/api/tasks/${task.id}/claim`);
    expect(claimed.status).toBe(200);
    expect(claimed.body.assigneeId).toBe(head1.id);
    expect((await post('department_head_1', `/api/tasks/${task.id}/claim`)).status).toBe(200); // idempotent for the holder
    const taken = await post('department_head_2', `/api/tasks/${task.id}/claim`);
    expect(taken.status).toBe(409);
    expect(taken.body.message).toMatch(/Someone else holds this task/);
    expect((await post('department_head_2', `/api/tasks/${task.id}/release`)).status).toBe(409);
    expect((await tasks('department_head_1', { assignee: 'me' })).map((x) => x.id)).toContain(task.id);
    expect((await tasks('department_head_2', { assignee: 'unassigned' })).map((x) => x.id)).not.toContain(task.id);

    expect((await post('auditor_1', `/api/tasks/${task.id}/claim`)).status).toBe(403);
    expect((await post('investment_manager_1', `/api/tasks/${task.id}/claim`)).status).toBe(404); // not a queue they can see
    expect((await post('department_head_1', `/api/tasks/00000000-0000-4000-8000-000000000000/claim`)).status).toBe(404);
    expect((await post('department_head_1', `/api/tasks/not-a-uuid/claim`)).status).toBe(400);

    const released = await post('department_head_1', `/api/tasks/${task.id}/release`);
    expect(released.status).toBe(200);
    expect(released.body.assigneeId).toBeNull();
    const again = await post('department_head_1', `/api/tasks/${task.id}/release`);
    expect(again.status).toBe(409);
    expect(again.body.message).toMatch(/not claimed/);

    // Holding a task is not a licence to act: the event's own rules still decide.
    expect((await post('department_head_2', `/api/tasks/${task.id}/claim`)).status).toBe(200);
    await d.ok(c.id, 'department_head_1', { type: 'APPROVE', reason: 'Approved by the other head.' });
    expect((await post('department_head_2', `/api/tasks/${task.id}/release`)).status).toBe(409); // completed

    const history = (
      await t
        .http()
        .get(`/api/cases/${c.id}/history`)
        .set((await t.as('auditor_1')).auth)
    ).body as { type: string; payload: { taskId?: string } }[];
    expect(history.filter((e) => e.payload.taskId === task.id).map((e) => e.type)).toEqual([
      'TASK_CLAIMED',
      'TASK_RELEASED',
      'TASK_CLAIMED',
    ]);
  });

  it('lists overdue tasks first, then by due time, with a stable cursor', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) {
      const c = await d.create('investment_manager_3');
      ids.push(c.id);
    }
    // Proposed twenty days ago (a clock that runs behind): its task is overdue today.
    const [old] = await createShifted(-20 * DAY);
    ids.push(old);
    const all = (await tasks('investment_manager_3', { assignee: 'me' })).filter((x) => ids.includes(x.caseId));
    expect(all[0]).toMatchObject({ caseId: old, overdue: true });
    expect(all.slice(1).every((x) => !x.overdue)).toBe(true);
    const sorted = [...all].sort((a, b) => a.dueAt.localeCompare(b.dueAt) || a.id.localeCompare(b.id));
    expect(all.map((x) => x.id)).toEqual(sorted.map((x) => x.id));

    const { auth } = await t.as('investment_manager_3');
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const res = await t
        .http()
        .get('/api/tasks')
        .query({ assignee: 'me', limit: '2', ...(cursor ? { cursor } : {}) })
        .set(auth);
      expect(res.status).toBe(200);
      expect(res.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...res.body.items.map((x: Task) => x.id));
      cursor = res.body.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual((await tasks('investment_manager_3', { assignee: 'me' })).map((x) => x.id));
    expect(new Set(seen).size).toBe(seen.length);
  });

  describe('escalation', () => {
    const running: Scheduler[] = [];
    afterAll(() => Promise.all(running.map((x) => x.stop())));

    /** A scheduler process as the API runs it, whose clock and ticks the test drives. */
    async function scheduler(time: Date): Promise<Scheduler> {
      const s = await startScheduler(t.db.url, time);
      running.push(s);
      return s;
    }

    /** The task of every TASK_ESCALATED entry in the database. */
    const allEscalations = () =>
      asSuperuser(t.db.name, async (c) =>
        (await c.query(`SELECT payload->>'taskId' AS task_id FROM audit_entries WHERE type = 'TASK_ESCALATED'`)).rows.map(
          (r: { task_id: string }) => r.task_id,
        ),
      );

    async function escalationEntries(caseIds: string[]) {
      return asSuperuser(
        t.db.name,
        async (c) =>
          (
            await c.query(
              `SELECT case_id, payload->>'taskId' AS task_id FROM audit_entries WHERE type = 'TASK_ESCALATED' AND case_id = ANY($1::uuid[])`,
              [caseIds],
            )
          ).rows as { case_id: string; task_id: string }[],
      );
    }

    it('escalates each overdue task exactly once with two schedulers ticking together, and later ones when they fall due', async () => {
      const cases: string[] = [];
      for (let i = 0; i < 12; i++) {
        const c = await d.create();
        if (i % 2 === 0) await d.ok(c.id, 'investment_manager_1', { type: 'SUBMIT' });
        cases.push(c.id);
      }
      const all = (await Promise.all(cases.map((id) => ofCase(id)))).flat();
      expect(all).toHaveLength(cases.length);
      // The department head's screening reviews are due sooner (16 working hours) than the owner's proposals (40).
      const overdueTasks = all.filter((x) => x.kind === 'screening_review');
      const later = all.filter((x) => x.kind === 'submit_proposal');
      const due = (xs: TaskView[]) => xs.map((x) => Date.parse(x.dueAt));
      let now = new Date(Math.max(...due(overdueTasks)) + 1000);
      expect(Math.min(...due(later))).toBeGreaterThan(now.getTime());

      const [a, b] = await Promise.all([scheduler(now), scheduler(now)]);
      const counts = await Promise.all([a.tick(), b.tick(), a.tick(), b.tick()]);
      // Other cases of this file fall due too: every escalation in the database is reported by exactly one tick, once.
      const everywhere = await allEscalations();
      expect(counts.reduce((x, y) => x + y, 0)).toBe(everywhere.length);
      expect(new Set(everywhere).size).toBe(everywhere.length);
      let entries = await escalationEntries(cases);
      expect(entries.map((e) => e.task_id).sort()).toEqual(overdueTasks.map((x) => x.id).sort());
      expect(await Promise.all([a.tick(), b.tick()])).toEqual([0, 0]);
      expect((await ofCase(later[0].caseId))[0].escalated).toBe(false);

      // The department head sees them in their queue, flagged (overdue is judged by the API's own clock, today).
      const escalated = (await tasks('department_head_1', { queue: 'department_head' })).filter((x) => cases.includes(x.caseId));
      expect(escalated.filter((x) => x.escalated)).toHaveLength(overdueTasks.length);
      expect(escalated.filter((x) => x.escalated).every((x) => x.escalatedTo === 'department_head')).toBe(true);

      // The owners' tasks fall due; a fresh scheduler (a restart: nothing in memory) and an old one find each once.
      now = new Date(Math.max(...due(later)) + 1000);
      await a.at(now);
      const c = await scheduler(now);
      const more = await Promise.all([a.tick(), c.tick(), a.tick()]);
      expect(more.reduce((x, y) => x + y, 0) + everywhere.length).toBe((await allEscalations()).length);
      expect(new Set(await allEscalations()).size).toBe((await allEscalations()).length);
      entries = await escalationEntries(cases);
      expect(entries.map((e) => e.task_id).sort()).toEqual(all.map((x) => x.id).sort());
      const notYet = later[0].caseId;

      // The owner's task keeps its queue.
      const ownersTask = (await tasks('department_head_1', { queue: 'department_head' })).find((x) => x.id === later[0].id)!;
      expect(ownersTask).toMatchObject({ escalated: true, escalatedTo: 'department_head' });
      expect(ownersTask.queue).toBe('investment_manager');
      // Escalated for follow-up, not handed over: the head cannot claim the owner's task.
      const claim = await post('department_head_1', `/api/tasks/${ownersTask.id}/claim`);
      expect(claim.status).toBe(403);
      expect(claim.body.message).toMatch(/only the investment_manager queue can claim it/);

      const history = (
        await t
          .http()
          .get(`/api/cases/${notYet}/history`)
          .set((await t.as('auditor_1')).auth)
      ).body as Record<string, any>[];
      const entry = history.find((e) => e.type === 'TASK_ESCALATED')!;
      expect(entry).toMatchObject({
        actorId: null,
        actorRoles: [],
        at: now.toISOString(),
        payload: { escalatedTo: 'department_head', slaPolicyVersion: expect.any(String), taskId: later[0].id },
      });
      expect(entry.reason).toMatch(/^Overdue since .*: escalated to the department_head queue\.$/);

      const check = await verifyAllChains(t.db.url);
      expect(check.broken).toEqual([]);
    });

    it('skips a case another transaction holds instead of waiting for it (SKIP LOCKED), and escalates it on a later tick', async () => {
      const held = await d.create();
      const free = await d.create();
      const s = await scheduler(new Date(Date.now() + 9 * DAY));
      // An event (or another scheduler) holds the first case's row lock in an open transaction.
      const holder = new Client({ connectionString: t.db.url });
      await holder.connect();
      try {
        await holder.query('BEGIN');
        await holder.query('SELECT id FROM cases WHERE id = $1 FOR UPDATE', [held.id]);
        // Without SKIP LOCKED this tick would wait for the holder (and fail on lock_timeout).
        await s.tick();
        expect((await escalationEntries([held.id, free.id])).map((e) => e.case_id)).toEqual([free.id]);
        await holder.query('ROLLBACK');
      } finally {
        await holder.end();
      }
      expect(await s.tick()).toBe(1);
      expect((await escalationEntries([held.id, free.id])).map((e) => e.case_id).sort()).toEqual([free.id, held.id].sort());
    });
  });
});
