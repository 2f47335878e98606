import { verifyAllChains } from '../support/chains';
import { CaseDriver, COMMITTEE } from '../support/case-driver';
import { bootTestApp, type TestApp } from '../support/test-app';

describe('concurrent events', () => {
  let t: TestApp;
  let d: CaseDriver;
  beforeAll(async () => {
    t = await bootTestApp();
    d = new CaseDriver(t);
  });
  afterAll(() => t.close());

  const post = async (caseId: string, username: string, body: Record<string, unknown>) => {
    const { auth } = await t.as(username);
    return t.http().post(`/api/cases/${caseId}/events`).set(auth).send(body);
  };

  it('20 concurrent senders of one version: exactly one 200, the rest 409, one history entry', async () => {
    const c = await d.create();
    await t.as('investment_manager_1');
    const results = await Promise.all(
      Array.from({ length: 20 }, () => post(c.id, 'investment_manager_1', { type: 'SUBMIT', expectedVersion: 1 })),
    );
    const statuses = results.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(19);
    const view = await d.get(c.id);
    expect(view).toMatchObject({ state: 'screening', version: 2 });
    const { auth } = await t.as('auditor_1');
    const history = (await t.http().get(`/api/cases/${c.id}/history`).set(auth)).body as { type: string }[];
    expect(history.map((e) => e.type)).toEqual(['CASE_CREATED', 'SUBMIT']);
    expect(view.tasks).toEqual([expect.objectContaining({ kind: 'screening_review' })]);
  });

  it('committee members voting at once: every vote lands exactly once after retrying on 409', async () => {
    const c = await d.create();
    await d.toCommittee(c.id);
    for (const m of COMMITTEE) await t.as(m);
    const voteWithRetry = async (member: string) => {
      const conflicts: number[] = [];
      for (;;) {
        const version = (await d.get(c.id)).version;
        const r = await post(c.id, member, { type: 'CAST_VOTE', vote: 'approve', reason: `${member} approves`, expectedVersion: version });
        if (r.status === 200) return conflicts;
        expect(r.status).toBe(409);
        conflicts.push(r.status);
      }
    };
    await Promise.all(COMMITTEE.map(voteWithRetry));
    const view = await d.get(c.id);
    expect(view.workflow.votes).toHaveLength(5);
    expect(new Set(view.workflow.votes.map((v: { by: string }) => v.by)).size).toBe(5);
    expect(view.version).toBe(8 + 5); // created, submit, approve, 4 DD reports, risk opinion, then 5 votes
    expect(
      view.tasks.filter((x: { kind: string; assigneeId: string }) => x.kind === 'vote').map((x: { assigneeId: string }) => x.assigneeId),
    ).toEqual([(await t.as('committee_chair_1')).id]);
  });

  it('events on different cases do not block each other and all land', async () => {
    const cases = await Promise.all(Array.from({ length: 8 }, () => d.create()));
    const results = await Promise.all(cases.map((c) => post(c.id, 'investment_manager_1', { type: 'SUBMIT', expectedVersion: 1 })));
    expect(results.map((r) => r.status)).toEqual(Array(8).fill(200));
    for (const c of cases) expect((await d.get(c.id)).version).toBe(2);
  });

  it('events interleaved with claims and releases of the same case keep one linear chain and lose nothing', async () => {
    const c = await d.create();
    await d.toDueDiligence(c.id);
    const { auth } = await t.as('legal_officer_1');
    const legalTask = (await d.get(c.id)).tasks.find((x: { key: string }) => x.key === 'dd_report:legal');
    // The owner files three reports one after another while the legal officer claims and releases
    // the legal task twenty times: each claim moves the case's chain head under the events.
    const claims = (async () => {
      const statuses: number[] = [];
      for (let i = 0; i < 20; i++) {
        statuses.push((await t.http().post(`/api/tasks/${legalTask.id}/claim`).set(auth)).status);
        statuses.push((await t.http().post(`/api/tasks/${legalTask.id}/release`).set(auth)).status);
      }
      return statuses;
    })();
    const events = (async () => {
      for (const workstream of ['business', 'financial', 'technical']) {
        await d.ok(c.id, 'investment_manager_1', { type: 'SUBMIT_DD_REPORT', workstream, conclusion: 'Positive', findings: 'Fine' });
      }
    })();
    const [statuses] = await Promise.all([claims, events]);
    expect(statuses).toEqual(Array(40).fill(200));
    const view = await d.get(c.id);
    expect(view.version).toBe(3 + 3);
    const history = (
      await t
        .http()
        .get(`/api/cases/${c.id}/history`)
        .set((await t.as('auditor_1')).auth)
    ).body as { type: string }[];
    expect(history.filter((e) => e.type === 'SUBMIT_DD_REPORT')).toHaveLength(3);
    expect(history.filter((e) => e.type === 'TASK_CLAIMED')).toHaveLength(20);
    expect(history.filter((e) => e.type === 'TASK_RELEASED')).toHaveLength(20);
    expect((await verifyAllChains(t.db.url)).broken).toEqual([]);
  });
});
