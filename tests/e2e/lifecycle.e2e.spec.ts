import { CaseDriver, COMMITTEE } from '../support/case-driver';
import { bootTestApp, type TestApp } from '../support/test-app';

describe('case lifecycle through HTTP', () => {
  let t: TestApp;
  let d: CaseDriver;
  beforeAll(async () => {
    t = await bootTestApp();
    d = new CaseDriver(t);
  });
  afterAll(() => t.close());

  const history = async (caseId: string) => {
    const { auth } = await t.as('auditor_1');
    const res = await t.http().get(`/api/cases/${caseId}/history`).set(auth);
    expect(res.status).toBe(200);
    return res.body as {
      seq: string;
      at: string;
      type: string;
      fromState: string | null;
      toState: string | null;
      actorId: string;
      reason: string | null;
      payload: Record<string, any>;
    }[];
  };

  it('creates a case in draft, version 1, owned by its creator', async () => {
    const { id: ownerId } = await t.as('investment_manager_1');
    const c = await d.create();
    expect(c).toMatchObject({ state: 'draft', version: 1, ownerId, team: [ownerId], investedFen: null, proceedsFen: null });
    expect(c.availableEvents).toEqual(['SUBMIT', 'ADD_TEAM_MEMBER']);
    expect(c.tasks).toEqual([expect.objectContaining({ queue: 'investment_manager', kind: 'submit_proposal', assigneeId: ownerId })]);
  });

  it('runs the happy path from proposal to a profitable exit, recording every step', async () => {
    const c = await d.create();
    await d.toDueDiligence(c.id);
    let view = await d.get(c.id);
    expect(view.state).toBe('dueDiligence');
    expect(view.tasks.map((x: { key: string }) => x.key).sort()).toEqual([
      'dd_report:business',
      'dd_report:financial',
      'dd_report:legal',
      'dd_report:technical',
    ]);
    await d.submitDd(c.id);
    expect((await d.get(c.id)).state).toBe('riskReview');
    await d.ok(c.id, 'risk_officer_1', {
      type: 'RISK_OPINION',
      opinion: 'conditional',
      reason: 'Customer concentration',
      conditions: 'Board seat',
    });
    view = await d.get(c.id, 'committee_member_1');
    expect(view.state).toBe('committee');
    expect(view.availableEvents).toEqual(['CAST_VOTE']);
    expect(view.tasks.filter((x: { kind: string }) => x.kind === 'vote')).toHaveLength(6);
    await d.vote(c.id, ['approve', 'approve', 'approve', 'approve', 'reject']);
    const closed = await d.ok(c.id, 'committee_chair_1', { type: 'CLOSE_VOTING' });
    expect(closed.state).toBe('execution');
    expect(closed.workflow.committeeDecision).toMatchObject({ approved: true, round: 1, ruleVersion: 'committee-2026.1' });
    await d.ok(c.id, 'investment_manager_1', { type: 'RECORD_SIGNING', signedAt: '2026-01-10' });
    const funded = await d.ok(c.id, 'investment_manager_1', {
      type: 'RECORD_FUNDING',
      amountFen: 80_000_000,
      fundedAt: '2026-01-20T08:00:00+08:00',
    });
    expect(funded).toMatchObject({ state: 'monitoring', investedFen: 80_000_000 });
    expect(funded.workflow.funding.fundedAt).toBe('2026-01-20T00:00:00.000Z');
    await d.ok(c.id, 'investment_manager_1', { type: 'SUBMIT_MONITORING_REPORT', period: '2026-Q1', summary: 'On plan' });
    await d.ok(c.id, 'risk_officer_1', { type: 'CLASSIFY_RISK', grade: 'watch', reason: 'Delayed tape-out' });
    await d.ok(c.id, 'investment_manager_1', { type: 'START_EXIT', channel: 'ipo' });
    await d.ok(c.id, 'department_head_1', {
      type: 'CONFIRM_EXIT_AMOUNT',
      proceedsFen: 120_000_000,
      sourceDocument: '股份减持交割单 第3号',
    });
    const exited = await d.ok(c.id, 'investment_manager_1', {
      type: 'COMPLETE_EXIT',
      proceedsFen: 120_000_000,
      exitedAt: '2026-09-01T00:00:00Z',
    });
    expect(exited).toMatchObject({ state: 'closed', proceedsFen: 120_000_000, availableEvents: [], tasks: [] });

    const h = await history(c.id);
    expect(h[0]).toMatchObject({ type: 'CASE_CREATED', toState: 'draft' });
    expect(h.map((e) => e.type)).toEqual([
      'CASE_CREATED',
      'SUBMIT',
      'APPROVE',
      'SUBMIT_DD_REPORT',
      'SUBMIT_DD_REPORT',
      'SUBMIT_DD_REPORT',
      'SUBMIT_DD_REPORT',
      'RISK_OPINION',
      'CAST_VOTE',
      'CAST_VOTE',
      'CAST_VOTE',
      'CAST_VOTE',
      'CAST_VOTE',
      'CLOSE_VOTING',
      'RECORD_SIGNING',
      'RECORD_FUNDING',
      'SUBMIT_MONITORING_REPORT',
      'CLASSIFY_RISK',
      'START_EXIT',
      'CONFIRM_EXIT_AMOUNT',
      'COMPLETE_EXIT',
    ]);
    const votes = h.filter((e) => e.type === 'CAST_VOTE');
    expect(votes.map((v) => v.payload.input.vote)).toEqual(['approve', 'approve', 'approve', 'approve', 'reject']);
    expect(votes[4].reason).toBe('Vote reject with reasons.');
    expect(h.find((e) => e.type === 'CLOSE_VOTING')!.payload.server.rule).toMatchObject({ quorum: 5, version: 'committee-2026.1' });
    expect(h.find((e) => e.type === 'SUBMIT_DD_REPORT' && e.payload.input.workstream === 'technical')).toMatchObject({
      fromState: 'dueDiligence',
      toState: 'dueDiligence',
    });
    expect(h.filter((e) => e.type === 'SUBMIT_DD_REPORT').pop()).toMatchObject({ fromState: 'dueDiligence', toState: 'riskReview' });
    expect(h[h.length - 1].payload.version).toBe(21);
    const seqs = h.map((e) => BigInt(e.seq));
    expect(seqs).toEqual([...seqs].sort((a, b) => (a < b ? -1 : 1))); // numeric order, not text order
  });

  it('runs the loss path into the exemption review, and a write-off too', async () => {
    const c = await d.create();
    const review = await d.toExemptionReview(c.id, 40_000_000);
    expect(review).toMatchObject({ state: 'exemptionReview.application', investedFen: 1_000_000_00, proceedsFen: 40_000_000 });
    expect(review.workflow.exemption).toMatchObject({ trigger: 'loss_exit', criteriaVersion: 'criteria-2026.1' });
    expect(review.tasks).toEqual([expect.objectContaining({ kind: 'file_exemption', queue: 'investment_manager' })]);

    const w = await d.create();
    await d.toMonitoring(w.id);
    const written = await d.ok(w.id, 'department_head_1', { type: 'WRITE_OFF', reason: 'Liquidation after failed trial' });
    expect(written).toMatchObject({ state: 'exemptionReview.application', proceedsFen: 0 });
    expect(written.workflow.exit).toMatchObject({ writeOff: true, proceedsFen: 0 });
    const listed = await t
      .http()
      .get('/api/cases?state=exemptionReview')
      .set((await t.as('auditor_1')).auth);
    expect(listed.body.items.map((x: { id: string }) => x.id)).toEqual(expect.arrayContaining([c.id, w.id]));
  });

  it('returns 409 for a stale expectedVersion and changes nothing', async () => {
    const c = await d.create();
    const r = await d.send(c.id, 'investment_manager_1', { type: 'SUBMIT', expectedVersion: 7 });
    expect(r.status).toBe(409);
    expect(r.body.message).toMatch(/version 1/);
    expect(r.body.details).toMatchObject({ currentVersion: 1, currentState: 'draft' });
    expect((await d.get(c.id)).version).toBe(1);
    expect(await history(c.id)).toHaveLength(1);
  });

  it('returns 422 naming the state for an event the state does not accept', async () => {
    const c = await d.create();
    // Asked by someone who may read the draft (its owner); a department head may not read it yet, so to
    // them it does not exist (need-to-know, as for reads).
    const r = await d.send(c.id, 'investment_manager_1', { type: 'APPROVE' });
    expect(r.status).toBe(422);
    expect(r.body.message).toMatch(/APPROVE is not allowed while the case is in draft/);
    expect((await d.send(c.id, 'department_head_1', { type: 'APPROVE' })).status).toBe(404);
    expect(await history(c.id)).toHaveLength(1);
  });

  it('enforces roles and separation of duties with 403', async () => {
    const c = await d.create();
    const { id: member2 } = await t.as('investment_manager_2');
    // Not the owner, and not on the team: may not read the case, so it does not exist for them (need-to-know).
    expect((await d.send(c.id, 'investment_manager_2', { type: 'SUBMIT' })).status).toBe(404);
    expect((await d.send(c.id, 'auditor_1', { type: 'SUBMIT' })).status).toBe(403); // read-only role
    // A department head cannot join the team (a reviewing role); an owner who is also a department head may not approve.
    const { id: head2 } = await t.as('department_head_2');
    const packed = await d.send(c.id, 'investment_manager_1', { type: 'ADD_TEAM_MEMBER', userId: head2 });
    expect(packed.status).toBe(403);
    expect(packed.body.message).toMatch(/holds the role department_head .* may join a case team at any stage/);
    const { auth: admin } = await t.as('admin_1');
    const dual = await t
      .http()
      .post('/api/users')
      .set(admin)
      .send({
        username: 'dual_role_1',
        displayName: 'Dual',
        password: 'demo-password',
        roles: ['investment_manager', 'department_head'],
      });
    expect(dual.status).toBe(201);
    const ownCase = await d.create('dual_role_1');
    await d.ok(ownCase.id, 'dual_role_1', { type: 'SUBMIT' });
    const own = await d.send(ownCase.id, 'dual_role_1', { type: 'APPROVE' });
    expect(own.status).toBe(403);
    expect(own.body.message).toMatch(/separation of duties/);
    await d.ok(c.id, 'investment_manager_1', { type: 'SUBMIT' });
    expect((await d.send(c.id, 'compliance_officer_1', { type: 'APPROVE' })).status).toBe(403); // reads every case, approves none
    expect((await d.send(c.id, 'risk_officer_1', { type: 'APPROVE' })).status).toBe(404); // may not read a case in screening
    await d.ok(c.id, 'department_head_1', { type: 'APPROVE', reason: 'ok' });
    const { id: head1 } = await t.as('department_head_1');
    const addReviewer = await d.send(c.id, 'investment_manager_1', { type: 'ADD_TEAM_MEMBER', userId: head1 });
    expect(addReviewer.status).toBe(403);
    expect(addReviewer.body.message).toMatch(/department_head_1 holds the role department_head/);
    const unknown = await d.send(c.id, 'investment_manager_1', { type: 'ADD_TEAM_MEMBER', userId: '00000000-0000-4000-8000-00000000abcd' });
    expect(unknown.status).toBe(422);
    expect(unknown.body.message).toMatch(/No active user/);
    await d.ok(c.id, 'investment_manager_1', { type: 'ADD_TEAM_MEMBER', userId: member2 });
    // A team member (not the owner) can submit DD reports, but only a legal officer the legal one.
    await d.ok(c.id, 'investment_manager_2', { type: 'SUBMIT_DD_REPORT', workstream: 'business', conclusion: 'ok', findings: 'f' });
    expect(
      (await d.send(c.id, 'investment_manager_1', { type: 'SUBMIT_DD_REPORT', workstream: 'legal', conclusion: 'ok', findings: 'f' }))
        .status,
    ).toBe(403);
    // Not on the team: the case does not exist for them (need-to-know), where it once was a 403.
    expect(
      (await d.send(c.id, 'investment_manager_3', { type: 'SUBMIT_DD_REPORT', workstream: 'financial', conclusion: 'ok', findings: 'f' }))
        .status,
    ).toBe(404);
  });

  it('keeps a committee member on the team from voting, and allows one vote per member per round', async () => {
    const c = await d.create();
    await d.toCommittee(c.id);
    const first = await d.ok(c.id, 'committee_member_1', { type: 'CAST_VOTE', vote: 'reject', reason: 'Valuation too high' });
    expect(first.availableEvents).toEqual([]);
    const again = await d.send(c.id, 'committee_member_1', { type: 'CAST_VOTE', vote: 'approve', reason: 'Changed my mind' });
    expect(again.status).toBe(422);
    expect(again.body.message).toMatch(/once per round/);
    const early = await d.send(c.id, 'committee_chair_1', { type: 'CLOSE_VOTING' });
    expect(early.status).toBe(422);
    expect(early.body.message).toMatch(/1 of the 5 votes the quorum requires/);
    // A committee member cannot be put on the team, so a voter cannot be taken out of the quorum.
    const other = await d.create();
    const { id: m2 } = await t.as('committee_member_2');
    expect((await d.send(other.id, 'investment_manager_1', { type: 'ADD_TEAM_MEMBER', userId: m2 })).status).toBe(403);
    // Returning to DD starts a new round where members vote again.
    await d.ok(c.id, 'committee_chair_1', { type: 'RETURN', reason: 'Redo the technical DD', workstreams: ['technical'] });
    await d.ok(c.id, 'investment_manager_1', {
      type: 'SUBMIT_DD_REPORT',
      workstream: 'technical',
      conclusion: 'ok',
      findings: 'benchmarks reproduced',
    });
    await d.ok(c.id, 'risk_officer_1', { type: 'RISK_OPINION', opinion: 'pass', reason: 'ok' });
    const round2 = await d.ok(c.id, 'committee_member_1', { type: 'CAST_VOTE', vote: 'approve', reason: 'Concerns addressed' });
    expect(round2.workflow.round).toBe(2);
    expect(round2.workflow.votes).toHaveLength(1);
  });

  it('rejects by vote below two thirds, and needs the chair’s override reason after a risk fail', async () => {
    const c = await d.create();
    await d.toCommittee(c.id);
    await d.vote(c.id, ['approve', 'approve', 'approve', 'reject', 'reject']);
    expect((await d.ok(c.id, 'committee_chair_1', { type: 'CLOSE_VOTING' })).state).toBe('rejected');
    const after = await d.send(c.id, 'committee_member_1', { type: 'CAST_VOTE', vote: 'approve', reason: 'late' });
    expect(after.status).toBe(422);
    expect(after.body.message).toMatch(/final state/);

    const f = await d.create();
    await d.toCommittee(f.id, 'fail');
    await d.vote(f.id, ['approve', 'approve', 'approve', 'approve', 'approve']);
    const noReason = await d.send(f.id, 'committee_chair_1', { type: 'CLOSE_VOTING' });
    expect(noReason.status).toBe(422);
    expect(noReason.body.message).toMatch(/overrideReason/);
    const approved = await d.ok(f.id, 'committee_chair_1', {
      type: 'CLOSE_VOTING',
      overrideReason: 'Strategic chip supply, risk accepted by the board',
    });
    expect(approved.state).toBe('execution');
  });

  it('validates event payloads per type with 400 and writes nothing', async () => {
    const c = await d.create();
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ type: 'SUBMIT', extra: 1 }, /extra should not exist/],
      [{ type: 'NOPE' }, /type must be one of/],
      [{ type: 'REJECT' }, /reason/],
      [{ type: 'CAST_VOTE', vote: 'maybe', reason: 'x' }, /vote must be one of/],
      [{ type: 'RECORD_FUNDING', amountFen: 10.5, fundedAt: '2026-01-01' }, /whole number of fen/],
      [{ type: 'RECORD_SIGNING', signedAt: '2026-02-30' }, /ISO-8601/],
      [{ type: 'SUBMIT_DD_REPORT', workstream: 'marketing', conclusion: 'x', findings: 'y' }, /workstream/],
    ];
    for (const [body, pattern] of cases) {
      const r = await d.send(c.id, 'investment_manager_1', body);
      expect(r.status).toBe(400);
      expect(r.body.message).toMatch(pattern);
    }
    const { auth } = await t.as('investment_manager_1');
    const noVersion = await t.http().post(`/api/cases/${c.id}/events`).set(auth).send({ type: 'SUBMIT' });
    expect(noVersion.status).toBe(400);
    expect(noVersion.body.message).toMatch(/expectedVersion/);
    expect((await t.http().post(`/api/cases/${c.id}/events`).set(auth).send([1, 2])).status).toBe(400);
    expect((await d.get(c.id)).version).toBe(1);
  });

  it('answers 404 for an unknown case and 400 for a malformed id', async () => {
    const r = await d.send('00000000-0000-4000-8000-000000000000', 'investment_manager_1', { type: 'SUBMIT', expectedVersion: 1 });
    expect(r.status).toBe(404);
    const { auth } = await t.as('auditor_1');
    expect((await t.http().get('/api/cases/123').set(auth)).status).toBe(400);
    const owner = await t.as('investment_manager_1');
    const bad = await t.http().post('/api/cases/123/events').set(owner.auth).send({ type: 'SUBMIT', expectedVersion: 1 });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toBe('The request is not valid: id must be a UUID.');
  });

  it('lists cases with filters and cursor pagination, newest first', async () => {
    const { id: owner3 } = await t.as('investment_manager_3');
    const created = [];
    for (let i = 0; i < 5; i++) created.push((await d.create('investment_manager_3')).id);
    const { auth } = await t.as('auditor_1');
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const q: string = `/api/cases?ownerId=${owner3}&limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const res = await t.http().get(q).set(auth);
      expect(res.status).toBe(200);
      expect(res.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...res.body.items.map((x: { id: string }) => x.id));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual([...created].reverse());
    expect((await t.http().get(`/api/cases?state=draft&ownerId=${owner3}`).set(auth)).body.items).toHaveLength(5);
    expect((await t.http().get(`/api/cases?state=committee&ownerId=${owner3}`).set(auth)).body.items).toHaveLength(0);
    expect((await t.http().get('/api/cases?cursor=garbage').set(auth)).status).toBe(400);
    expect((await t.http().get('/api/cases?limit=0').set(auth)).status).toBe(400);
  });

  it('rebuilds the case as it stood at an earlier moment from its history', async () => {
    const c = await d.create();
    await d.toDueDiligence(c.id);
    const h = await history(c.id);
    const afterSubmit = h.find((e) => e.type === 'SUBMIT')!.at;
    const { auth } = await t.as('auditor_1');
    const then = await t
      .http()
      .get(`/api/cases/${c.id}?asOf=${encodeURIComponent(afterSubmit)}`)
      .set(auth);
    expect(then.status).toBe(200);
    expect(then.body).toMatchObject({ state: 'screening', version: 2, asOf: afterSubmit });
    const before = await t.http().get(`/api/cases/${c.id}?asOf=2000-01-01T00:00:00Z`).set(auth);
    expect(before.status).toBe(404);
    expect((await t.http().get(`/api/cases/${c.id}?asOf=yesterday`).set(auth)).status).toBe(400);
  });

  it('shows each person only the events they could send', async () => {
    const c = await d.create();
    await d.toCommittee(c.id);
    expect((await d.get(c.id, 'committee_chair_1')).availableEvents).toEqual(['RETURN', 'CAST_VOTE']);
    expect((await d.get(c.id, 'investment_manager_1')).availableEvents).toEqual(['ADD_TEAM_MEMBER']);
    expect((await d.get(c.id, 'auditor_1')).availableEvents).toEqual([]);
    await d.vote(c.id, ['approve', 'approve', 'approve', 'approve', 'approve'], COMMITTEE);
    expect((await d.get(c.id, 'committee_chair_1')).availableEvents).toEqual(['RETURN', 'CAST_VOTE', 'CLOSE_VOTING']);
  });

  it('answers 400, never 500, for text the database cannot store, unreadable dates and forged cursors', async () => {
    const c = await d.create();
    await d.ok(c.id, 'investment_manager_1', { type: 'SUBMIT' });
    for (const reason of ['a\u0000b', 'a\ud800b']) {
      const r = await d.send(c.id, 'department_head_1', { type: 'RETURN', reason });
      expect(r.status).toBe(400);
    }
    expect((await d.get(c.id)).version).toBe(2);

    const e = await d.create();
    await d.toExecution(e.id);
    for (const signedAt of ['2009-W53-7', '20090519', '2009-123', '2009-05-19T14.5Z']) {
      const r = await d.send(e.id, 'investment_manager_1', { type: 'RECORD_SIGNING', signedAt });
      expect(r.status).toBe(400);
      expect(r.body.message).toMatch(/signedAt must be an ISO-8601 date or timestamp/);
    }
    const future = await d.send(e.id, 'investment_manager_1', {
      type: 'RECORD_SIGNING',
      signedAt: new Date(Date.now() + 86_400_000).toISOString(),
    });
    expect(future.status).toBe(422);
    expect(future.body.message).toBe('signedAt is in the future: record the signing once it has happened.');
    const signed = await d.ok(e.id, 'investment_manager_1', { type: 'RECORD_SIGNING', signedAt: '2026-03-01T08:00:00+08:00' });
    expect(signed.workflow.signing.signedAt).toBe('2026-03-01T00:00:00.000Z');

    const { auth } = await t.as('auditor_1');
    const forged = Buffer.from('-271821-04-20|00000000-0000-4000-8000-000000000000').toString('base64url');
    for (const path of ['/api/tasks', '/api/cases']) {
      const r = await t.http().get(path).query({ cursor: forged }).set(auth);
      expect(r.status).toBe(400);
      expect(r.body.message).toMatch(/cursor is not valid/);
    }
  });

  it('keeps exemption reviewers off the team while the case is under exemption review', async () => {
    const c = await d.create();
    await d.toExemptionReview(c.id);
    const compliance = await t.as('compliance_officer_1');
    const r = await d.send(c.id, 'investment_manager_1', { type: 'ADD_TEAM_MEMBER', userId: compliance.id });
    expect(r.status).toBe(403);
    expect(r.body.message).toMatch(/holds the role compliance_officer \(合规\), which reviews or decides a step of this case/);
    // The team is frozen since the committee vote: an analyst joins only with a reason and a department head's approval.
    const analyst = await t.as('investment_manager_2');
    const asked = await d.ok(c.id, 'investment_manager_1', {
      type: 'ADD_TEAM_MEMBER',
      userId: analyst.id,
      reason: 'Handles the liquidation',
    });
    expect(asked.team).not.toContain(analyst.id);
    expect(asked.workflow.teamRequests).toMatchObject([{ userId: analyst.id, reason: 'Handles the liquidation' }]);
    const approved = await d.ok(c.id, 'department_head_2', { type: 'DECIDE_TEAM_CHANGE', userId: analyst.id, approved: true, note: 'ok' });
    expect(approved.team).toContain(analyst.id);
  });
});
