import { ExemptionDriver, LEGALITY_REVIEWER, PANEL } from '../support/exemption-driver';
import { bootTestApp, startApi, DEMO_PASSWORD, type ApiProcess, type TestApp } from '../support/test-app';
import { startScheduler } from '../support/scheduler';
import { asSuperuser } from '../support/test-database';
import { calendarClock } from '../support/test-clock';

const DAY = 86_400_000;

/**
 * Working-day periods must stay inside the calendar (config/calendar/cn-2026.yaml only): the API's
 * clock and this process's `Date.now()` (the driver's business dates) both run from Monday 1 June 2026,
 * 10:00 China Standard Time, whatever the real date.
 */
const clock = calendarClock('2026-06-01T02:00:00.000Z');
const OFFSET = clock.offset;

/**
 * Due process around the exemption decision (machine version 5), through HTTP: 三个区分开来, the
 * legality review (合法性审查), the hearing (申辩), the appeal (申诉/复核) and the reopening (重新认定).
 */
describe('due process around the exemption decision', () => {
  let t: TestApp;
  let x: ExemptionDriver;
  const later: ApiProcess[] = [];
  beforeAll(async () => {
    clock.install();
    t = await bootTestApp({ env: { ...clock.env, EXEMPTION_NOTICE_PERIOD_DAYS: '0' } });
    x = new ExemptionDriver(t);
  });
  afterAll(async () => {
    clock.uninstall();
    for (const api of later) await api.stop();
    await t.close();
  });

  const id = async (username: string) => (await t.as(username)).id;

  /**
   * A second API process on the same database whose clock runs `days` later: periods that have ended
   * there. Its own logins (a token is checked by the clock of the process that reads it).
   */
  async function after(days: number) {
    const api = await startApi({
      databaseUrl: t.db.url,
      env: { CLOCK_OFFSET_MS: String(OFFSET + days * DAY), EXEMPTION_NOTICE_PERIOD_DAYS: '0' },
    });
    later.push(api);
    const tokens = new Map<string, string>();
    const token = async (username: string) => {
      if (!tokens.has(username)) {
        const res = await fetch(`${api.url}/api/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ username, password: DEMO_PASSWORD }),
        });
        tokens.set(username, ((await res.json()) as { accessToken: string }).accessToken);
      }
      return tokens.get(username)!;
    };
    return {
      async send(caseId: string, username: string, event: Record<string, unknown>) {
        const current = await x.d.get(caseId);
        const res = await fetch(`${api.url}/api/cases/${caseId}/events`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${await token(username)}` },
          body: JSON.stringify({ expectedVersion: current.version, ...event }),
        });
        return { status: res.status, body: (await res.json()) as Record<string, any> };
      },
      /** The exemption record as this process reads it (on its clock). */
      async record(caseId: string) {
        const res = await fetch(`${api.url}/api/cases/${caseId}/exemption`, {
          headers: { authorization: `Bearer ${await token('auditor_1')}` },
        });
        return (await res.json()) as Record<string, any>;
      },
    };
  }

  const openTasks = async (caseId: string) => {
    const { auth } = await t.as('auditor_1');
    const res = await t.http().get('/api/tasks').query({ caseId, status: 'open', limit: 100 }).set(auth);
    expect(res.status).toBe(200);
    return res.body.items as { id: string; kind: string; queue: string; assigneeId: string | null; dueAt: string; key: string }[];
  };

  /** A review whose criteria and distinctions are recorded, the panel having voted `outcome`. */
  async function atDecision(outcome: 'exempt' | 'partial' | 'not_exempt', sides = {}) {
    const caseId = await x.review();
    await x.verifyAll(caseId, {}, sides);
    for (const member of PANEL) await x.d.ok(caseId, member, { type: 'CAST_PANEL_VOTE', outcome, reasons: `${member}: ${outcome}` });
    return caseId;
  }

  const propose = async (caseId: string, accountability: Record<string, unknown>[], outcome = 'not_exempt') =>
    x.d.send(caseId, PANEL[0], {
      type: 'PROPOSE_ACCOUNTABILITY',
      outcome,
      accountability,
      reasons: 'The owner bypassed the pilot review.',
    });
  const legality = (caseId: string, conclusion: 'favourable' | 'unfavourable', by = LEGALITY_REVIEWER) =>
    x.d.send(caseId, by, {
      type: 'LEGALITY_REVIEW',
      lawfulBasis: 'Order No. 46 Art. 36.',
      procedure: 'Heard within the period.',
      proportionality: conclusion === 'favourable' ? 'Direct responsibility of the owner only.' : 'Too heavy for the conduct.',
      conclusion,
    });
  const decide = (caseId: string, outcome: string, accountability?: Record<string, unknown>[]) =>
    x.d.send(caseId, PANEL[0], {
      type: 'DECIDE_EXEMPTION',
      outcome,
      reasons: 'Decided by the panel.',
      ...(accountability ? { accountability } : {}),
    });

  it('三个区分开来: structured findings with reasons and evidence; a culpable finding excludes exempt and partial; the loss cause decides objective_cause', async () => {
    const caseId = await x.review();
    // Bad input is a 400 with a sentence, never a 500.
    const bad = await x.d.send(caseId, 'compliance_officer_1', {
      type: 'RECORD_DISTINCTION',
      distinction: 'pilot',
      side: 'maybe',
      reasons: 'r',
      evidence: [],
    });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/distinction must be one of inexperience_vs_knowing_violation/);
    expect(bad.body.message).toMatch(/side must be tolerable or culpable/);
    expect(bad.body.message).toMatch(/evidence must cite at least one piece of evidence/);
    // The owner is not a verifier (403); a verifier records it.
    expect(
      (
        await x.d.send(caseId, 'investment_manager_1', {
          type: 'RECORD_DISTINCTION',
          distinction: 'trial_vs_prohibition',
          side: 'tolerable',
          reasons: 'r',
          evidence: [{ title: 't', ref: 'r' }],
        })
      ).status,
    ).toBe(403);
    await x.distinguish(caseId, { development_vs_personal_gain: 'culpable' });
    const again = await x.d.send(caseId, 'compliance_officer_2', {
      type: 'RECORD_DISTINCTION',
      distinction: 'development_vs_personal_gain',
      side: 'tolerable',
      reasons: 'r',
      evidence: [{ title: 't', ref: 'r' }],
    });
    expect(again.status).toBe(422);
    expect(again.body.message).toMatch(/already has a finding in this round/);
    // objective_cause follows the loss cause (the driver files `technology`: an objective factor).
    await x.verifyAll(caseId, {}, null);
    for (const member of PANEL) await x.d.ok(caseId, member, { type: 'CAST_PANEL_VOTE', outcome: 'exempt', reasons: 'exempt' });
    const refused = await decide(caseId, 'exempt');
    expect(refused.status).toBe(422);
    expect(refused.body.message).toMatch(/^exempt is excluded: the conduct was found on the culpable side of development_vs_personal_gain/);
    const r = await x.record(caseId);
    expect(r.body.dueProcess.culpable).toEqual(['development_vs_personal_gain']);
    expect(r.body.dueProcess.distinctions.map((d: { side: string }) => d.side)).toEqual(['tolerable', 'tolerable', 'culpable']);
    expect(r.body.rules).toMatchObject({
      version: 7,
      note: expect.stringMatching(
        /Due process \(machine version 5, policy due-process-2026\.1\).*Machine version 7: the legality review covers/,
      ),
    });
  });

  it('objective_cause cannot be met when the application gives an operational cause', async () => {
    const caseId = await x.funded();
    await x.exit(caseId, 40_000_000);
    await x.d.ok(caseId, 'investment_manager_1', {
      type: 'FILE_EXEMPTION',
      lossCause: 'operations',
      statement: 'The plant was mismanaged.',
      evidence: [{ title: 'Audit', ref: 'A-1' }],
      declarations: { noPersonalGain: true, relatedPartiesDisclosed: true, informationComplete: true },
    });
    const r = await x.d.send(caseId, 'compliance_officer_1', {
      type: 'VERIFY_CRITERION',
      criterion: 'objective_cause',
      finding: 'met',
      note: 'n',
    });
    expect(r.status).toBe(422);
    expect(r.body.message).toMatch(/objective_cause cannot be met: the application gives the loss cause as operations/);
  });

  it('legality review refused: no review, an unfavourable one, or a reviewer who is not independent; the exempt decision needs none', async () => {
    const owner = await id('investment_manager_1');
    const accountability = [{ userId: owner, responsibility: 'direct' }];
    const caseId = await atDecision('not_exempt');
    expect((await propose(caseId, accountability)).status).toBe(200);
    await x.d.ok(caseId, 'investment_manager_1', { type: 'SUBMIT_STATEMENT', statement: 'I followed the plan.', evidence: [] });

    const none = await decide(caseId, 'not_exempt', accountability);
    expect(none.status).toBe(422);
    expect(none.body.message).toMatch(
      /needs a favourable legality review \(合法性审查, LEGALITY_REVIEW by an independent legal officer\) first/,
    );
    // The legal officer who verified lawful_compliant, the one who wrote the legal DD report: not independent.
    const verifier = await legality(caseId, 'favourable', 'legal_officer_2');
    expect(verifier.status).toBe(403);
    expect(verifier.body.message).toMatch(/independent of the case: someone who verified, flagged or decides in this review/);
    expect((await legality(caseId, 'favourable', 'legal_officer_1')).status).toBe(403);
    expect((await legality(caseId, 'favourable', 'compliance_officer_3')).status).toBe(403);

    expect((await legality(caseId, 'unfavourable')).status).toBe(200);
    const unfavourable = await decide(caseId, 'not_exempt', accountability);
    expect(unfavourable.status).toBe(422);
    expect(unfavourable.body.message).toMatch(/was unfavourable; the decision is refused until a favourable review of the proposal/);
    const tasks = await openTasks(caseId);
    expect(tasks.filter((k) => k.kind === 'legality_review').map((k) => k.queue)).toEqual(['legal_officer']);

    expect((await legality(caseId, 'favourable')).status).toBe(200);
    expect((await openTasks(caseId)).some((k) => k.kind === 'legality_review')).toBe(false);
    const decided = await decide(caseId, 'not_exempt', accountability);
    expect(decided.status).toBe(200);
    const r = await x.record(caseId);
    expect(r.body.dueProcess.legalityReviews.map((l: { conclusion: string }) => l.conclusion)).toEqual(['unfavourable', 'favourable']);
    const steps = r.body.proceduralReport.items.filter((i: { code: string }) => /three_distinctions|legality_review|hearing/.test(i.code));
    expect(steps.map((i: { code: string; met: boolean; applicable: boolean }) => [i.code, i.applicable ?? true, i.met])).toEqual([
      ['three_distinctions', true, true],
      ['hearing', true, true],
      ['legality_review', true, true],
    ]);

    // An exempt decision refers nobody: neither hearing nor legality review applies, and the report says so.
    const exempt = await atDecision('exempt');
    expect((await decide(exempt, 'exempt')).status).toBe(200);
    const items = (await x.record(exempt)).body.proceduralReport.items as { code: string; applicable?: boolean; met: boolean }[];
    for (const code of ['hearing', 'legality_review']) {
      expect(items.find((i) => i.code === code)).toMatchObject({ applicable: false, met: true });
    }
  });

  it('legality review covers the whole decision: a decision whose reduction or reason differs from the reviewed proposal is refused', async () => {
    const owner = await id('investment_manager_1');
    const proposal = { userId: owner, responsibility: 'direct', reduction: 'lighter', reason: 'Reported the risk early.' };
    const caseId = await atDecision('partial');
    expect((await propose(caseId, [proposal], 'partial')).status).toBe(200);
    await x.d.ok(caseId, 'investment_manager_1', { type: 'SUBMIT_STATEMENT', statement: 'I reported early.', evidence: [] });
    expect((await legality(caseId, 'favourable')).status).toBe(200);

    const reduced = await decide(caseId, 'partial', [{ ...proposal, reduction: 'reduced' }]);
    expect(reduced.status).toBe(422);
    expect(reduced.body.message).toMatch(
      /The decision differs from the proposal the legality review \(合法性审查\) of .* approved: .*reduction reduced instead of lighter/,
    );
    const reason = await decide(caseId, 'partial', [{ ...proposal, reason: 'A different ground.' }]);
    expect(reason.status).toBe(422);
    expect(reason.body.message).toMatch(/reason "A different ground\." instead of "Reported the risk early\."/);
    expect(reason.body.message).toMatch(/a changed proposal needs its own hearing and legality review/);
    // The text reviewed is the text decided.
    expect((await decide(caseId, 'partial', [proposal])).status).toBe(200);
  });

  it('hearing answered: each person gets a task in their own queue, the decision waits for every answer, the record shows the statements', async () => {
    const owner = await id('investment_manager_1');
    const head = await id('department_head_1');
    const accountability = [
      { userId: owner, responsibility: 'direct' },
      { userId: head, responsibility: 'supervisory' },
    ];
    const caseId = await atDecision('not_exempt');
    // Exempt needs no hearing: a proposal is partial or not_exempt (400 with a sentence).
    const exempt = await propose(caseId, [], 'exempt');
    expect(exempt.status).toBe(400);
    expect(exempt.body.message).toMatch(/outcome must be partial or not_exempt/);
    // A committee member who voted on the investment is recused from proposing.
    expect(
      (
        await x.d.send(caseId, 'committee_member_1', {
          type: 'PROPOSE_ACCOUNTABILITY',
          outcome: 'not_exempt',
          accountability,
          reasons: 'r',
        })
      ).status,
    ).toBe(403);
    const proposed = await propose(caseId, accountability);
    expect(proposed.status).toBe(200);
    const tasks = (await openTasks(caseId)).filter((k) => k.kind === 'hearing_statement');
    const hearing = (await x.record(caseId)).body.dueProcess.hearings[0];
    // Five working days from Monday 1 June 2026: Tuesday 2 … Monday 8 June, at its close (CST).
    expect(hearing).toMatchObject({ periodDays: 5, endsAt: '2026-06-08T15:59:59.999Z', calendarVersion: 'cn-2026.1', current: true });
    expect(tasks.map((k) => [k.queue, k.assigneeId, k.dueAt]).sort()).toEqual(
      [
        ['department_head', head, '2026-06-08T15:59:59.999Z'],
        ['investment_manager', owner, '2026-06-08T15:59:59.999Z'],
      ].sort(),
    );
    // Only a person heard speaks; once. (Someone who may not read the case does not learn it exists.)
    expect((await x.d.send(caseId, 'investment_manager_2', { type: 'SUBMIT_STATEMENT', statement: 's', evidence: [] })).status).toBe(404);
    expect((await x.d.send(caseId, 'compliance_officer_1', { type: 'SUBMIT_STATEMENT', statement: 's', evidence: [] })).status).toBe(403);
    await x.d.ok(caseId, 'investment_manager_1', {
      type: 'SUBMIT_STATEMENT',
      statement: 'The market turned; I reported every risk.',
      evidence: [{ title: 'Risk memo', ref: 'RM-7' }],
    });
    const twice = await x.d.send(caseId, 'investment_manager_1', { type: 'SUBMIT_STATEMENT', statement: 's', evidence: [] });
    expect(twice.status).toBe(422);
    expect(twice.body.message).toMatch(/already on the record/);
    // On the server's clock: the owner has answered, the approver is awaited while the period runs.
    expect((await x.record(caseId)).body.dueProcess.hearings[0].statements.map((st: { status: string }) => st.status)).toEqual([
      'answered',
      'awaiting',
    ]);
    expect((await legality(caseId, 'favourable')).status).toBe(200);

    const waiting = await decide(caseId, 'not_exempt', accountability);
    expect(waiting.status).toBe(422);
    expect(waiting.body.message).toMatch(/^The hearing runs until 2026-06-08T15:59:59\.999Z: .* has not answered yet/);
    // Nobody not heard can be referred.
    const other = await decide(caseId, 'not_exempt', [
      ...accountability,
      { userId: await id('investment_manager_2'), responsibility: 'direct' },
    ]);
    expect(other.status).toBe(422);

    await x.d.ok(caseId, 'department_head_1', { type: 'SUBMIT_STATEMENT', statement: 'I approved on the DD reports.', evidence: [] });
    expect((await openTasks(caseId)).some((k) => k.kind === 'hearing_statement')).toBe(false);
    expect((await decide(caseId, 'not_exempt', accountability)).status).toBe(200);
    const statements = (await x.record(caseId)).body.dueProcess.hearings[0].statements;
    expect(statements).toEqual([
      expect.objectContaining({
        userId: owner,
        answered: true,
        statement: 'The market turned; I reported every risk.',
        evidence: [{ title: 'Risk memo', ref: 'RM-7' }],
      }),
      expect.objectContaining({ userId: head, answered: true, status: 'answered' }),
    ]);
  });

  it('need-to-know: the hearing task opens the case to the person heard, not to everybody in their role', async () => {
    // A risk officer with no part in the case (not heard, not on the team, never acted on it).
    const { auth: admin } = await t.as('admin_1');
    const outsider = `risk_officer_dp_${Date.now().toString(36)}`;
    const created = await t
      .http()
      .post('/api/users')
      .set(admin)
      .send({ username: outsider, displayName: outsider, password: DEMO_PASSWORD, roles: ['risk_officer'] });
    expect(created.status).toBe(201);
    const heard = await id('risk_officer_2');
    const caseId = await atDecision('not_exempt');
    expect((await propose(caseId, [{ userId: heard, responsibility: 'supervisory' }])).status).toBe(200);

    const look = async (username: string) => {
      const { auth } = await t.as(username);
      const [one, record, mine, queue, list] = await Promise.all([
        t.http().get(`/api/cases/${caseId}`).set(auth),
        t.http().get(`/api/cases/${caseId}/exemption`).set(auth),
        t.http().get('/api/tasks').query({ status: 'open', limit: 100 }).set(auth),
        t.http().get('/api/tasks').query({ queue: 'risk_officer', status: 'open', limit: 100 }).set(auth),
        t.http().get('/api/cases').query({ limit: 100 }).set(auth),
      ]);
      const hearingTasks = (res: { body: { items: { caseId: string; kind: string }[] } }) =>
        res.body.items.filter((k) => k.caseId === caseId && k.kind === 'hearing_statement').length;
      return {
        caseStatus: one.status,
        recordStatus: record.status,
        inMyTasks: hearingTasks(mine),
        inQueue: hearingTasks(queue),
        listed: (list.body.items as { id: string }[]).some((c) => c.id === caseId),
      };
    };
    // The person heard reads the case and finds the task in their queue.
    expect(await look('risk_officer_2')).toEqual({ caseStatus: 200, recordStatus: 200, inMyTasks: 1, inQueue: 1, listed: true });
    // Another risk officer: the case does not exist for them, nor the task.
    expect(await look(outsider)).toEqual({ caseStatus: 404, recordStatus: 404, inMyTasks: 0, inQueue: 0, listed: false });
    const { auth } = await t.as(outsider);
    const hearingTask = (await openTasks(caseId)).find((k) => k.kind === 'hearing_statement')!;
    expect((await t.http().post(`/api/tasks/${hearingTask.id}/claim`).set(auth)).status).toBe(404);
    // The person heard cannot give it back to the queue, where nobody could see or do it.
    const mine = (await t.as('risk_officer_2')).auth;
    const released = await t.http().post(`/api/tasks/${hearingTask.id}/release`).set(mine);
    expect(released.status).toBe(409);
    expect(released.body.message).toMatch(/This task is yours by name .*cannot be released to the queue/);
    expect(released.body.messageZh).toMatch(/不能退回队列/);
    expect(await look('risk_officer_2')).toEqual({ caseStatus: 200, recordStatus: 200, inMyTasks: 1, inQueue: 1, listed: true });
  });

  it('hearing not answered: the decision waits until the period has ended, then is taken; a late statement is refused', async () => {
    const owner = await id('investment_manager_1');
    const accountability = [{ userId: owner, responsibility: 'direct' }];
    const caseId = await atDecision('not_exempt');
    expect((await propose(caseId, accountability)).status).toBe(200);
    expect((await legality(caseId, 'favourable')).status).toBe(200);
    expect((await decide(caseId, 'not_exempt', accountability)).status).toBe(422);

    // Ten days later (the period ended at the close of Monday 8 June).
    const api = await after(10);
    const late = await api.send(caseId, 'investment_manager_1', { type: 'SUBMIT_STATEMENT', statement: 'Late.', evidence: [] });
    expect(late.status).toBe(422);
    expect(late.body.message).toMatch(/The hearing period ended at 2026-06-08T15:59:59\.999Z/);
    const decided = await api.send(caseId, PANEL[0], { type: 'DECIDE_EXEMPTION', outcome: 'not_exempt', reasons: 'r', accountability });
    expect(decided.status).toBe(200);
    expect(decided.body.state).toBe('exemptionReview.publicNotice');
    const statements = (await api.record(caseId)).dueProcess.hearings[0].statements;
    expect(statements).toEqual([expect.objectContaining({ userId: owner, answered: false, status: 'lapsed', statement: null })]);
  });

  it('a hearing replaced within its period stays "unanswered" for good, not "lapsed" once its old end date passes', async () => {
    const owner = await id('investment_manager_1');
    const head = await id('department_head_1');
    const caseId = await atDecision('not_exempt');
    expect((await propose(caseId, [{ userId: owner, responsibility: 'direct' }])).status).toBe(200);
    // A new proposal the same day replaces the first hearing before anyone answered.
    expect((await propose(caseId, [{ userId: head, responsibility: 'supervisory' }])).status).toBe(200);
    const statusOf = (record: Record<string, any>) =>
      (record.dueProcess.hearings as { current: boolean; statements: { status: string }[] }[]).map((h) => [
        h.current,
        h.statements.map((x) => x.status),
      ]);
    expect(statusOf((await x.record(caseId)).body)).toEqual([
      [false, ['unanswered']],
      [true, ['awaiting']],
    ]);
    // Read years later (here: ten days), the replaced hearing is still unanswered; only the current one lapsed.
    const api = await after(10);
    expect(statusOf(await api.record(caseId))).toEqual([
      [false, ['unanswered']],
      [true, ['lapsed']],
    ]);
  });

  /** A not_exempt decision referring the owner (direct) and the screening approver (supervisory), concluded: the case closed. */
  async function closedReferring() {
    const owner = await id('investment_manager_1');
    const head = await id('department_head_1');
    const accountability = [
      { userId: owner, responsibility: 'direct' },
      { userId: head, responsibility: 'supervisory' },
    ];
    const caseId = await x.review();
    await x.verifyAll(caseId);
    await x.decide(caseId, { outcome: 'not_exempt', accountability });
    await x.receiveReferral(caseId);
    const closed = await x.d.ok(caseId, 'compliance_officer_2', { type: 'CONCLUDE_NOTICE' });
    expect(closed.state).toBe('closed');
    return { caseId, owner, head, accountability };
  }

  const body = ['department_head_2', 'department_head_6'];
  const fileAppeal = (caseId: string, username = 'investment_manager_1') =>
    x.d.send(caseId, username, {
      type: 'FILE_APPEAL',
      grounds: 'The loss came from the market.',
      evidence: [{ title: 'Index', ref: 'IDX' }],
    });
  /** The first member proposes the ruling, each other member confirms it (machine version 7): the first refusal, or the last answer. */
  const rule = async (caseId: string, ruling: Record<string, unknown>, members = body) => {
    let last = await x.d.send(caseId, members[0], {
      type: 'RULE_ON_APPEAL',
      reasons: 'Reviewed the file.',
      members: await Promise.all(members.map(id)),
      ...ruling,
    });
    for (const member of members.slice(1)) {
      if (last.status !== 200) break;
      last = await x.d.send(caseId, member, { type: 'CONFIRM_APPEAL_RULING' });
    }
    return last;
  };

  it('appeal upheld: only a referred person, within the period, to a body none of whose members sat on the first decision', async () => {
    const { caseId } = await closedReferring();
    const record = (await x.record(caseId)).body;
    expect(record.proceduralReport.items.find((i: { code: string }) => i.code === 'appeal_ruling')).toMatchObject({
      applicable: false,
      met: true,
      finding: expect.stringMatching(/^Not applicable: no appeal was filed/),
    });
    // Ten working days from Monday 1 June 2026: 2–5, 8–12, 15 June (端午 is 19–21 June).
    expect(record.dueProcess.appeal).toMatchObject({ periodDays: 10, endsAt: '2026-06-15T15:59:59.999Z', body: '复核小组' });

    expect((await fileAppeal(caseId, 'investment_manager_2')).status).toBe(404);
    const reader = await fileAppeal(caseId, 'compliance_officer_1');
    expect(reader.status).toBe(403);
    expect(reader.body.message).toMatch(/Only a person the decision refers for accountability may appeal/);
    const filed = await fileAppeal(caseId);
    expect(filed.status).toBe(200);
    expect(filed.body.state).toBe('exemptionReview.appeal');
    expect((await openTasks(caseId)).filter((k) => k.kind === 'rule_on_appeal').map((k) => k.queue)).toEqual(['department_head']);
    // A panel member of the first decision may not sit on the appeal body.
    const sat = await rule(caseId, { result: 'upheld' }, ['department_head_2', PANEL[1]]);
    expect(sat.status).toBe(403);
    expect(sat.body.message).toMatch(/sat on the first decision; the appeal goes to a body none of whose members did/);
    const tooSmall = await rule(caseId, { result: 'upheld' }, ['department_head_2']);
    expect(tooSmall.status).toBe(422);
    expect(tooSmall.body.message).toMatch(/needs at least 2 members/);
    const upheld = await rule(caseId, { result: 'upheld' });
    expect(upheld.status).toBe(200);
    expect(upheld.body.state).toBe('closed');
    const after = (await x.record(caseId)).body;
    expect(after.outcome).toBe('not_exempt');
    expect(after.dueProcess.appealRounds).toEqual([
      expect.objectContaining({
        round: 1,
        appeals: [expect.objectContaining({ grounds: 'The loss came from the market.' })],
        ruling: expect.objectContaining({
          result: 'upheld',
          outcome: 'not_exempt',
          before: expect.objectContaining({ outcome: 'not_exempt' }),
        }),
      }),
    ]);
    // The procedural-compliance report: who ruled, when, the ruling, and that the body excluded the first decision's members.
    const ruledItem = after.proceduralReport.items.find((i: { code: string }) => i.code === 'appeal_ruling');
    expect(ruledItem).toMatchObject({
      applicable: true,
      met: true,
      by: await Promise.all(body.map(id)),
      at: after.dueProcess.appealRounds[0].ruling.at,
      figures: {
        appeals: 1,
        rulings: 1,
        result: 'upheld',
        ruledBy: await id(body[0]),
        outcomeBefore: 'not_exempt',
        outcomeAfter: 'not_exempt',
        firstDecisionMembersExcluded: true,
      },
    });
    // One appeal per person and decision.
    expect((await fileAppeal(caseId)).status).toBe(422);
  });

  it('appeal ruling is a body decision: proposed by one member, in effect once each member named confirms it by an event of their own', async () => {
    const { caseId } = await closedReferring();
    expect((await fileAppeal(caseId)).status).toBe(200);
    const [proposer, second] = await Promise.all(body.map(id));
    const proposed = await x.d.send(caseId, body[0], {
      type: 'RULE_ON_APPEAL',
      result: 'upheld',
      reasons: 'The market does not explain the loss.',
      members: [proposer, second],
    });
    expect(proposed.status).toBe(200);
    // Proposed, not yet in effect: the other member has a task of their own, in their queue.
    expect(proposed.body.state).toBe('exemptionReview.appeal');
    const confirmTasks = (await openTasks(caseId)).filter((k) => k.kind === 'confirm_appeal_ruling');
    expect(confirmTasks.map((k) => [k.queue, k.assigneeId])).toEqual([['department_head', second]]);
    const { auth } = await t.as(body[1]);
    const queue = await t
      .http()
      .get('/api/tasks')
      .query({ queue: 'department_head', assignee: 'me', status: 'open', limit: 100 })
      .set(auth);
    expect(
      queue.body.items.filter((k: { caseId: string; kind: string }) => k.caseId === caseId).map((k: { kind: string }) => k.kind),
    ).toEqual(['confirm_appeal_ruling']);
    expect((await x.d.get(caseId, body[1])).availableEvents).toContain('CONFIRM_APPEAL_RULING');
    const reportItem = async () =>
      (await x.record(caseId)).body.proceduralReport.items.find((i: { code: string }) => i.code === 'appeal_ruling');
    // The procedural report does not count a proposal as a ruling.
    expect(await reportItem()).toMatchObject({ applicable: true, met: false, finding: expect.stringMatching(/no ruling yet/) });

    // A member who is not named, one who sat on the first decision: refused with a sentence.
    const notNamed = await x.d.send(caseId, 'department_head_7', { type: 'CONFIRM_APPEAL_RULING' });
    expect(notNamed.status).toBe(403);
    expect(notNamed.body.message).toMatch(/You are not named in the 复核小组 of the proposed ruling; only the members it names confirm it/);
    const sat = await x.d.send(caseId, PANEL[1], { type: 'CONFIRM_APPEAL_RULING' });
    expect(sat.status).toBe(403);
    expect(sat.body.message).toMatch(/You sat on the first decision; the appeal goes to a body none of whose members did/);
    const again = await x.d.send(caseId, body[0], { type: 'CONFIRM_APPEAL_RULING' });
    expect(again.status).toBe(422);
    expect(again.body.message).toMatch(/You have already confirmed this ruling/);

    const confirmed = await x.d.send(caseId, body[1], { type: 'CONFIRM_APPEAL_RULING', note: 'Agreed on the file.' });
    expect(confirmed.status).toBe(200);
    expect(confirmed.body.state).toBe('closed');
    const r = (await x.record(caseId)).body;
    expect(r.dueProcess.appealRounds[0].ruling).toMatchObject({
      result: 'upheld',
      by: proposer,
      members: [proposer, second],
      confirmations: [expect.objectContaining({ by: proposer }), expect.objectContaining({ by: second, note: 'Agreed on the file.' })],
    });
    const ruled = await reportItem();
    expect(ruled).toMatchObject({ applicable: true, met: true, by: [proposer, second] });
    expect(ruled.finding).toMatch(
      /^1 appeal\(s\) filed .*; ruled upheld on .* by a body of 2 member\(s\), proposed on .* and confirmed by each member, none of whom sat/,
    );
    // Each confirmation is its own entry on the chain.
    const entries = (await x.history(caseId)).filter((e) => /APPEAL/.test(e.type));
    // When it took effect: the last confirmation.
    expect(ruled.at).toBe(r.dueProcess.appealRounds[0].ruling.at);
    expect(ruled.at).not.toBe(r.dueProcess.appealRounds[0].proposals[0].at);
    expect(entries.map((e) => [e.type, e.actorId])).toEqual([
      ['FILE_APPEAL', await id('investment_manager_1')],
      ['RULE_ON_APPEAL', proposer],
      ['CONFIRM_APPEAL_RULING', second],
    ]);
  });

  it('appeal modified: lighter and narrower only, every round on the record; a late appeal is refused', async () => {
    const { caseId, owner, head } = await closedReferring();
    expect((await fileAppeal(caseId)).status).toBe(200);
    expect((await fileAppeal(caseId, 'department_head_1')).status).toBe(200);
    const heavier = await rule(caseId, {
      result: 'modified',
      outcome: 'partial',
      accountability: [{ userId: await id('investment_manager_2'), responsibility: 'direct', reduction: 'lighter', reason: 'r' }],
    });
    expect(heavier.status).toBe(422);
    expect(heavier.body.message).toMatch(/cannot refer someone the decision did not refer/);
    // 不加重原则: no appeal ruling makes anyone's position heavier (here the approver's responsibility).
    const worse = await rule(caseId, {
      result: 'modified',
      outcome: 'not_exempt',
      accountability: [
        { userId: owner, responsibility: 'direct' },
        { userId: head, responsibility: 'direct' },
      ],
    });
    expect(worse.status).toBe(422);
    expect(worse.body.message).toMatch(
      /^An appeal must not make the decision heavier \(不加重原则\): person .*: responsibility supervisory \(主管责任\) to direct \(直接责任\)\. .*only a review reopened by discipline inspection \(REOPEN_REVIEW\)/,
    );
    const modified = await rule(caseId, {
      result: 'modified',
      outcome: 'partial',
      accountability: [{ userId: owner, responsibility: 'direct', reduction: 'lighter', reason: 'The market explains most of the loss.' }],
    });
    expect(modified.status).toBe(200);
    const r = (await x.record(caseId)).body;
    expect(r.outcome).toBe('partial');
    expect(r.accountability.map((a: { userId: string }) => a.userId)).toEqual([owner]);
    expect(r.dueProcess.appealRounds[0].appeals).toHaveLength(2);
    expect(r.dueProcess.appealRounds[0].ruling.before.accountability.map((a: { userId: string }) => a.userId)).toEqual([owner, head]);

    // After the period (ended Monday 15 June), no appeal is filed.
    const api = await after(20);
    const { caseId: other } = await closedReferring();
    const late = await api.send(other, 'investment_manager_1', { type: 'FILE_APPEAL', grounds: 'g', evidence: [] });
    expect(late.status).toBe(422);
    expect(late.body.message).toMatch(/The appeal period ended at 2026-06-15T15:59:59\.999Z/);
  });

  it('appeal overturned: the accountability is set aside', async () => {
    const { caseId } = await closedReferring();
    expect((await fileAppeal(caseId)).status).toBe(200);
    expect((await rule(caseId, { result: 'overturned', outcome: 'exempt' })).status).toBe(422);
    const overturned = await rule(caseId, { result: 'overturned' });
    expect(overturned.status).toBe(200);
    const r = (await x.record(caseId)).body;
    expect(r.outcome).toBe('exempt');
    expect(r.accountability).toEqual([]);
    expect(r.dueProcess.appealRounds[0].ruling).toMatchObject({ result: 'overturned', before: { outcome: 'not_exempt' } });
  });

  it('reopening of a closed case: discipline inspection only, with reasons and evidence; the earlier outcome kept and marked superseded', async () => {
    const caseId = await atDecision('exempt');
    expect((await decide(caseId, 'exempt')).status).toBe(200);
    const closed = await x.d.ok(caseId, 'compliance_officer_2', { type: 'CONCLUDE_NOTICE' });
    expect(closed.state).toBe('closed');
    const reopen = {
      type: 'REOPEN_REVIEW',
      ground: 'concealment',
      reasons: 'A side agreement with the founder came to light.',
      evidence: [{ title: 'Side agreement', ref: 'SA-1' }],
    };
    expect((await x.d.send(caseId, 'compliance_officer_3', reopen)).status).toBe(403);
    const noEvidence = await x.d.send(caseId, 'discipline_officer_1', { ...reopen, evidence: [] });
    expect(noEvidence.status).toBe(400);
    expect(noEvidence.body.message).toMatch(/evidence must cite at least one piece of evidence/);
    const reopened = await x.d.send(caseId, 'discipline_officer_1', reopen);
    expect(reopened.status).toBe(200);
    expect(reopened.body.state).toBe('exemptionReview.verification');
    const r = (await x.record(caseId)).body;
    expect(r.outcome).toBeNull();
    expect(r.previousRounds).toEqual([
      expect.objectContaining({
        decision: expect.objectContaining({ outcome: 'exempt' }),
        superseded: expect.objectContaining({ by: await id('discipline_officer_1'), reopening: 0 }),
        concludedAt: expect.any(String),
      }),
    ]);
    expect(r.dueProcess).toMatchObject({ round: 2, reopenings: [expect.objectContaining({ ground: 'concealment' })] });
    expect(r.criteria.every((c: { finding: string | null }) => c.finding === null)).toBe(true);
    // The new round runs the whole review again.
    await x.verifyAll(caseId, {}, { inexperience_vs_knowing_violation: 'culpable' });
    expect((await x.d.get(caseId)).state).toBe('exemptionReview.decision');

    // A case closed by a profitable exit has no outcome to reopen.
    const profitable = await x.funded();
    await x.d.ok(profitable, 'investment_manager_1', { type: 'START_EXIT', channel: 'transfer' });
    await x.d.ok(profitable, 'department_head_1', {
      type: 'CONFIRM_EXIT_AMOUNT',
      proceedsFen: 200_000_000,
      sourceDocument: '股权转让协议 第12号',
    });
    await x.d.ok(profitable, 'investment_manager_1', {
      type: 'COMPLETE_EXIT',
      proceedsFen: 200_000_000,
      exitedAt: new Date(Date.now()).toISOString(),
    });
    const none = await x.d.send(profitable, 'discipline_officer_1', reopen);
    expect(none.status).toBe(422);
    expect(none.body.message).toMatch(/Only a closed case with an exemption outcome can be reopened/);
  });

  it("an unanswered hearing is not escalated: its due time ends a right, it is nobody else's work; the case's other overdue tasks are", async () => {
    const owner = await id('investment_manager_1');
    const caseId = await atDecision('not_exempt');
    expect((await propose(caseId, [{ userId: owner, responsibility: 'direct' }])).status).toBe(200);
    const open = await openTasks(caseId);
    const hearingTask = open.find((k) => k.kind === 'hearing_statement')!;
    const others = open.filter((k) => k.kind !== 'hearing_statement');
    expect(hearingTask).toBeDefined();
    expect(others.length).toBeGreaterThan(0);
    // A scheduler whose clock is past the hearing period and every other task's due time.
    const latest = Math.max(...open.map((k) => Date.parse(k.dueAt)));
    const scheduler = await startScheduler(t.db.url, new Date(latest + DAY));
    try {
      expect(await scheduler.tick()).toBeGreaterThanOrEqual(others.length);
    } finally {
      await scheduler.stop();
    }
    const escalated = await asSuperuser(t.db.name, async (c) =>
      (
        await c.query(`SELECT payload->>'taskId' AS task_id FROM audit_entries WHERE type = 'TASK_ESCALATED' AND case_id = $1`, [caseId])
      ).rows.map((r: { task_id: string }) => r.task_id),
    );
    expect(escalated.sort()).toEqual(others.map((k) => k.id).sort());
    expect(escalated).not.toContain(hearingTask.id);
  });

  it('audit verify replays every new event through the machine', async () => {
    const { auth } = await t.as('auditor_1');
    const res = await t.http().get('/api/audit/verify').set(auth);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ valid: true });
  });
});
