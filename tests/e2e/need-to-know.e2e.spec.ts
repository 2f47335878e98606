import { CaseDriver } from '../support/case-driver';
import { bootTestApp, type TestApp } from '../support/test-app';

/**
 * Issue 15, need-to-know: a case, its history, its exemption record, evidence and documents are read
 * by its team, whoever acted on it or holds a task on it, and the oversight roles; everyone else gets
 * 404 as for a case that does not exist, and the case list leaves it out the same way.
 */
describe('need-to-know reads', () => {
  let t: TestApp;
  let d: CaseDriver;
  let draft: string;
  let screening: string;
  let dueDiligence: string;

  beforeAll(async () => {
    t = await bootTestApp();
    d = new CaseDriver(t);
    draft = (await d.create('investment_manager_1')).id as string;
    screening = (await d.create('investment_manager_1')).id as string;
    await d.ok(screening, 'investment_manager_1', { type: 'SUBMIT' });
    dueDiligence = (await d.create('investment_manager_2')).id as string;
    await d.toDueDiligence(dueDiligence, 'investment_manager_2');
  });
  afterAll(() => t.close());

  const status = async (username: string, path: string) => {
    const { auth } = await t.as(username);
    return (await t.http().get(path).set(auth)).status;
  };
  const listed = async (username: string): Promise<string[]> => {
    const { auth } = await t.as(username);
    const ids: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await t
        .http()
        .get(`/api/cases?limit=2${cursor ? `&cursor=${cursor}` : ''}`)
        .set(auth);
      expect(res.status).toBe(200);
      ids.push(...(res.body.items as { id: string }[]).map((c) => c.id));
      cursor = res.body.nextCursor as string | null;
    } while (cursor);
    return ids;
  };

  it('another investment manager gets 404 for the case, its history, exemption record, evidence and documents', async () => {
    for (const path of ['', '/history', '/exemption', '/evidence', '/documents', `?asOf=${new Date().toISOString()}`]) {
      expect([path, await status('investment_manager_2', `/api/cases/${draft}${path}`)]).toEqual([path, 404]);
    }
    expect(await status('investment_manager_1', `/api/cases/${draft}`)).toBe(200);
    expect(await status('investment_manager_1', `/api/cases/${draft}/history`)).toBe(200);
  });

  it('the oversight roles read every case', async () => {
    for (const username of ['auditor_1', 'compliance_officer_1', 'discipline_officer_1']) {
      expect(await status(username, `/api/cases/${draft}`)).toBe(200);
      expect(await status(username, `/api/cases/${dueDiligence}/history`)).toBe(200);
    }
  });

  it('a department head sees a case in screening (the queue waits on them), not a draft', async () => {
    expect(await status('department_head_2', `/api/cases/${screening}`)).toBe(200);
    expect(await status('department_head_2', `/api/cases/${draft}`)).toBe(404);
  });

  it('after screening, the head who approved still reads the case; another head, with no task on it, does not', async () => {
    expect(await status('department_head_1', `/api/cases/${dueDiligence}/history`)).toBe(200);
    expect(await status('department_head_3', `/api/cases/${dueDiligence}`)).toBe(404);
    // The legal due-diligence report waits on the legal officers.
    expect(await status('legal_officer_2', `/api/cases/${dueDiligence}`)).toBe(200);
    expect(await status('committee_member_1', `/api/cases/${dueDiligence}`)).toBe(404);
  });

  it('a team member added by the owner reads the case', async () => {
    const { id } = await t.as('investment_manager_3');
    expect(await status('investment_manager_3', `/api/cases/${draft}`)).toBe(404);
    await d.ok(draft, 'investment_manager_1', { type: 'ADD_TEAM_MEMBER', userId: id });
    expect(await status('investment_manager_3', `/api/cases/${draft}`)).toBe(200);
  });

  it('the list shows each person exactly the cases they may open', async () => {
    const all = await listed('auditor_1');
    expect(all).toEqual(expect.arrayContaining([draft, screening, dueDiligence]));
    expect(await listed('investment_manager_2')).toEqual([dueDiligence]);
    for (const username of [
      'investment_manager_1',
      'investment_manager_3',
      'department_head_1',
      'department_head_3',
      'legal_officer_1',
      'risk_officer_1',
    ]) {
      const mine = await listed(username);
      for (const id of all) {
        expect([username, id, mine.includes(id)]).toEqual([username, id, (await status(username, `/api/cases/${id}`)) === 200]);
      }
    }
  });

  describe('writes', () => {
    const unknownCase = '00000000-0000-4000-8000-000000000000';
    const without = (body: Record<string, unknown>) => {
      const { requestId: _requestId, ...rest } = body;
      return rest;
    };
    const post = async (username: string, path: string, body: object = {}) => {
      const { auth } = await t.as(username);
      return t.http().post(path).set(auth).send(body);
    };

    it("an event from someone who may not read the case is a 404 with the read's sentence, before any version, role or state check", async () => {
      const read = await (async () => {
        const { auth } = await t.as('investment_manager_2');
        return t.http().get(`/api/cases/${screening}`).set(auth);
      })();
      expect(read.status).toBe(404);
      const unknown = await post('investment_manager_2', `/api/cases/${unknownCase}/events`, { type: 'SUBMIT', expectedVersion: 1 });
      expect(unknown.status).toBe(404);
      const { version } = await d.get(screening);
      for (const [username, event] of [
        ['investment_manager_2', { type: 'SUBMIT', expectedVersion: version }], // not allowed in screening (was 422)
        ['investment_manager_2', { type: 'ADD_TEAM_MEMBER', userId: unknownCase, expectedVersion: version }], // owner only (was 403)
        ['investment_manager_2', { type: 'SUBMIT', expectedVersion: version + 7 }], // stale version (was 409)
        ['committee_member_1', { type: 'CAST_VOTE', vote: 'approve', reason: 'x', expectedVersion: version }], // (was 422)
      ] as const) {
        const res = await post(username, `/api/cases/${screening}/events`, event);
        expect([username, event, res.status, without(res.body)]).toEqual([username, event, 404, without(read.body)]);
        expect(without(res.body)).toEqual(without(unknown.body));
      }
      expect((await d.get(screening)).version).toBe(version);
    });

    it('someone who may read the case but may not send the event still gets 403, and a wrong state 422', async () => {
      const id = (await d.create('investment_manager_1')).id as string;
      await d.ok(id, 'investment_manager_1', { type: 'SUBMIT' });
      expect((await d.send(id, 'investment_manager_1', { type: 'APPROVE', reason: 'mine' })).status).toBe(403);
      expect((await d.send(id, 'department_head_2', { type: 'SUBMIT' })).status).toBe(422);
    });

    it('a task of a case the caller may not read is a 404 to claim or release, as an unknown task', async () => {
      const { tasks } = await d.get(draft);
      const task = (tasks as { id: string; queue: string }[]).find((x) => x.queue === 'investment_manager');
      expect(task).toBeDefined();
      for (const action of ['claim', 'release']) {
        const res = await post('investment_manager_2', `/api/tasks/${task!.id}/${action}`);
        const unknown = await post('investment_manager_2', `/api/tasks/${unknownCase}/${action}`);
        expect([action, res.status, without(res.body)]).toEqual([action, 404, without(unknown.body)]);
      }
    });

    it('an evidence upload or a document from someone who may not read the case is a 404', async () => {
      const { auth } = await t.as('investment_manager_2');
      const upload = await t
        .http()
        .post(`/api/cases/${draft}/evidence`)
        .set(auth)
        .attach('file', Buffer.from('%PDF-1.4\n%%EOF\n'), { filename: 'x.pdf', contentType: 'application/pdf' });
      expect(upload.status).toBe(404);
      const doc = await post('committee_chair_1', `/api/cases/${draft}/documents`, { kind: 'committee_resolution' });
      expect([doc.status, doc.body.message]).toEqual([404, upload.body.message]);
    });
  });
});
