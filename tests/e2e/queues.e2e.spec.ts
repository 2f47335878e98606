import type { TaskView } from '@app/domain';
import { verifyAllChains } from '../support/chains';
import { CaseDriver, COMMITTEE } from '../support/case-driver';
import { asSuperuser } from '../support/test-database';
import { bootTestApp, startApi, type ApiProcess, type TestApp } from '../support/test-app';

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

  /** Moves the due time of open tasks into the past (as if the SLA had run out). */
  const makeOverdue = (caseIds: string[]) =>
    asSuperuser(t.db.name, (c) =>
      c.query(`UPDATE tasks SET due_at = now() - interval '2 hours' WHERE case_id = ANY($1::uuid[]) AND status = 'open'`, [caseIds]),
    );

  it('opens a task for each piece of work a state waits on, and closes it with the transition', async () => {
    const owner = await t.as('investment_manager_1');
    const c = await d.create();
    expect(kinds(await ofCase(c.id))).toEqual(['investment_manager:submit_proposal']);
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
    for (let i = 0; i < 5; i++) {
      const c = await d.create('investment_manager_3');
      ids.push(c.id);
    }
    await makeOverdue([ids[3]]);
    const all = (await tasks('investment_manager_3', { assignee: 'me' })).filter((x) => ids.includes(x.caseId));
    expect(all[0]).toMatchObject({ caseId: ids[3], overdue: true });
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
    const schedulers: ApiProcess[] = [];
    afterAll(async () => {
      await Promise.all(schedulers.map((s) => s.stop()));
    });
    const startScheduler = async () => {
      const s = await startApi({ databaseUrl: t.db.url, env: { SCHEDULER_INTERVAL_MS: '50' } });
      schedulers.push(s);
      return s;
    };

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

    async function waitFor(check: () => Promise<boolean>, what: string) {
      const deadline = Date.now() + 20_000;
      while (!(await check())) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    }

    it('escalates each overdue task exactly once with two schedulers running, and again after a restart', async () => {
      const cases: string[] = [];
      for (let i = 0; i < 12; i++) {
        const c = await d.create();
        if (i % 2 === 0) await d.ok(c.id, 'investment_manager_1', { type: 'SUBMIT' });
        cases.push(c.id);
      }
      const [notYet] = [cases.pop()!];
      await makeOverdue(cases);
      const overdueTasks = (await Promise.all(cases.map((id) => ofCase(id)))).flat();
      expect(overdueTasks).toHaveLength(cases.length);

      const [a, b] = await Promise.all([startScheduler(), startScheduler()]);
      await waitFor(async () => (await escalationEntries(cases)).length >= overdueTasks.length, 'escalation');
      await new Promise((r) => setTimeout(r, 500)); // many more ticks of both schedulers
      let entries = await escalationEntries(cases);
      expect(entries.map((e) => e.task_id).sort()).toEqual(overdueTasks.map((x) => x.id).sort());
      expect((await ofCase(notYet))[0].escalated).toBe(false);

      // The department head now sees them in their queue, flagged; the owner's task keeps its queue.
      const escalated = (await tasks('department_head_1', { queue: 'department_head' })).filter((x) => cases.includes(x.caseId));
      expect(escalated).toHaveLength(overdueTasks.length);
      expect(escalated.every((x) => x.overdue && x.escalated && x.escalatedTo === 'department_head')).toBe(true);
      const ownersTask = escalated.find((x) => x.kind === 'submit_proposal')!;
      expect(ownersTask.queue).toBe('investment_manager');
      // Escalated for follow-up, not handed over: the head cannot claim the owner's task.
      const claim = await post('department_head_1', `/api/tasks/${ownersTask.id}/claim`);
      expect(claim.status).toBe(403);
      expect(claim.body.message).toMatch(/only the investment_manager queue can claim it/);

      // A crash, a task that falls due while no scheduler runs, and a new process.
      await a.stop('SIGKILL');
      await b.stop('SIGKILL');
      await makeOverdue([notYet]);
      await new Promise((r) => setTimeout(r, 300));
      expect(await escalationEntries([notYet])).toHaveLength(0);
      await startScheduler();
      await waitFor(async () => (await escalationEntries([notYet])).length === 1, 'escalation after restart');
      await new Promise((r) => setTimeout(r, 300));
      entries = await escalationEntries([...cases, notYet]);
      expect(entries).toHaveLength(overdueTasks.length + 1);

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
        payload: { escalatedTo: 'department_head', slaPolicyVersion: expect.any(String) },
      });
      expect(entry.reason).toMatch(/^Overdue since .*: escalated to the department_head queue\.$/);

      const check = await verifyAllChains(t.db.url);
      expect(check.broken).toEqual([]);
    });
  });
});
