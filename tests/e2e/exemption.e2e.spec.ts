import { loadPolicies } from '../../libs/config/src/policies';
import { ExemptionDriver } from '../support/exemption-driver';
import { bootTestApp, type TestApp } from '../support/test-app';
import { calendarClock } from '../support/test-clock';

/** Working-day periods (notice, hearing, appeal) stay inside the 2026 calendar whatever the real date. */
const clock = calendarClock();

const DAY = 86_400_000;
const { calendar } = loadPolicies();

describe('exemption review (尽职免责) through HTTP', () => {
  let t: TestApp;
  let x: ExemptionDriver;
  beforeAll(async () => {
    clock.install();
    t = await bootTestApp({ env: clock.env });
    x = new ExemptionDriver(t);
  });
  afterAll(async () => {
    clock.uninstall();
    await t.close();
  });

  const id = async (username: string) => (await t.as(username)).id;

  it('answers 404 with a sentence for a case without a review, and keeps the record from admin', async () => {
    const c = await x.d.create();
    const r = await x.record(c.id);
    expect(r.status).toBe(404);
    expect(r.body.message).toMatch(
      /has no exemption review: one opens only when an exit realises a loss or the investment is written off \(the case is in draft\)/,
    );
    expect((await x.record(c.id, 'admin_1')).status).toBe(403);
    const { auth } = await t.as('auditor_1');
    expect((await t.http().get('/api/cases/not-a-uuid/exemption').set(auth)).status).toBe(400);
  });

  it('exempt path: every criterion met, the procedural report evidenced from the history, notice not concluded early', async () => {
    const caseId = await x.review({
      amountFen: 300_000_000,
      proceedsFen: 100_000_000,
      monitoring: async (c) => {
        await x.d.ok(c, 'investment_manager_1', { type: 'SUBMIT_MONITORING_REPORT', period: '2026-Q3', summary: 'On plan' });
        await x.d.ok(c, 'risk_officer_1', { type: 'CLASSIFY_RISK', grade: 'substandard', reason: 'Yield problems' });
        await x.d.ok(c, 'investment_manager_1', { type: 'SUBMIT_MONITORING_REPORT', period: 'special', summary: 'Yield recovery plan' });
      },
    });
    // Before verification: findings null, live tolerance figures, no outcome.
    let r = await x.record(caseId, 'compliance_officer_1');
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ state: 'exemptionReview.verification', outcome: null, accountabilityReferral: false, notice: null });
    expect(r.body.criteria).toHaveLength(6);
    expect(r.body.criteria[0]).toEqual(
      expect.objectContaining({
        criterion: 'lawful_compliant',
        title: 'Lawful and compliant; no explicit prohibition breached',
        titleZh: '依法合规，未违反明令禁止',
        finding: null,
        verifiedBy: null,
        verifiedAt: null,
        note: null,
      }),
    );
    expect(r.body.tolerance).toMatchObject({ basis: 'live', policyVersion: 'tolerance-2026.2' });
    expect(r.body.loss).toMatchObject({
      investedFen: 300_000_000,
      proceedsFen: 100_000_000,
      lossFen: 200_000_000,
      lossRate: 0.666667,
      tier: { code: 'general', titleZh: '一般', policyVersion: 'loss-tiers-2026.1' },
    });

    // The report cites real history entries of the right kind.
    const history = await x.history(caseId);
    const typeOf = new Map(history.map((e) => [e.seq, e.type]));
    const report = r.body.proceduralReport;
    expect(report.items.map((i: { code: string; met: boolean }) => [i.code, i.met])).toEqual([
      ['screening_approval', true],
      ['dd_report:business', true],
      ['dd_report:financial', true],
      ['dd_report:legal', true],
      ['dd_report:technical', true],
      ['risk_opinion', true],
      ['committee_quorum', true],
      ['committee_threshold', true],
      ['monitoring_cadence', true],
      ['downgrade_reaction', true],
      // Machine version 5: the review's own steps. The distinctions are still to be found; before a
      // decision referring anyone is proposed, the hearing, legality review and appeal ruling do not apply (met, not applicable).
      ['three_distinctions', false],
      ['hearing', true],
      ['legality_review', true],
      ['appeal_ruling', true],
    ]);
    expect(report.items.filter((i: { applicable?: boolean }) => i.applicable === false).map((i: { code: string }) => i.code)).toEqual([
      'hearing',
      'legality_review',
      'appeal_ruling',
    ]);
    const item = (code: string) => report.items.find((i: { code: string }) => i.code === code);
    expect(item('screening_approval').evidence.map((s: string) => typeOf.get(s))).toEqual(['APPROVE']);
    expect(item('screening_approval').by).toEqual([await id('department_head_1')]);
    expect(item('dd_report:legal').by).toEqual([await id('legal_officer_1')]);
    expect(item('committee_quorum').evidence.map((s: string) => typeOf.get(s))).toEqual([...Array(5).fill('CAST_VOTE'), 'CLOSE_VOTING']);
    expect(item('committee_quorum').figures).toMatchObject({ cast: 5, quorum: 5, ruleVersion: 'committee-2026.1' });
    expect(item('downgrade_reaction').evidence.map((s: string) => typeOf.get(s))).toEqual(['CLASSIFY_RISK', 'SUBMIT_MONITORING_REPORT']);
    expect(report.downgrades).toEqual([
      expect.objectContaining({ from: 'normal', to: 'substandard', reactionType: 'SUBMIT_MONITORING_REPORT', met: true }),
    ]);
    expect(item('monitoring_cadence').figures).toMatchObject({ reports: 2, cadenceDays: 92 });
    expect(r.body.criteria.find((c: { criterion: string }) => c.criterion === 'timely_monitoring').autoEvidence).toEqual({
      met: true,
      items: ['monitoring_cadence', 'downgrade_reaction'],
      unmet: [],
    });

    // lawful_compliant (legal_officer only) comes first, yet a compliance officer is offered the criteria they may verify.
    expect((await x.d.get(caseId, 'compliance_officer_1')).availableEvents).toEqual([
      'VERIFY_CRITERION',
      'FLAG_NEGATIVE_LIST',
      'RECORD_DISTINCTION',
    ]);
    expect((await x.d.get(caseId, 'legal_officer_1')).availableEvents).toEqual([]);
    const tasks = (await x.d.get(caseId)).tasks.map((k: { key: string; queue: string }) => `${k.key}@${k.queue}`).sort();
    expect(tasks).toContain('verify_criterion:lawful_compliant@legal_officer');
    expect(tasks).toContain('verify_criterion:no_personal_gain@compliance_officer');

    // Separation of duties: the legal DD author and a team member may not verify.
    const own = await x.d.send(caseId, 'legal_officer_1', {
      type: 'VERIFY_CRITERION',
      criterion: 'lawful_compliant',
      finding: 'met',
      note: 'n',
    });
    expect(own.status).toBe(403);
    expect(own.body.message).toMatch(/took part in the investment decision/);
    const wrongRole = await x.d.send(caseId, 'legal_officer_2', {
      type: 'VERIFY_CRITERION',
      criterion: 'no_personal_gain',
      finding: 'met',
      note: 'n',
    });
    expect(wrongRole.status).toBe(403);
    expect(wrongRole.body.message).toMatch(/no_personal_gain .* is verified by compliance_officer/);

    const decided0 = await x.verifyAll(caseId);
    expect(decided0.state).toBe('exemptionReview.decision');
    const decided = await x.decide(caseId, { outcome: 'exempt', reasons: 'Duties performed; the loss came from a technology shift.' });
    expect(decided.state).toBe('exemptionReview.publicNotice');

    r = await x.record(caseId);
    const verifier = await id('compliance_officer_1');
    expect(r.body.criteria.find((c: { criterion: string }) => c.criterion === 'procedure_followed')).toMatchObject({
      finding: 'met',
      verifiedBy: verifier,
      note: 'procedure_followed checked against the file.',
    });
    expect(r.body.criteria.every((c: { verifiedAt: string | null }) => c.verifiedAt !== null)).toBe(true);
    expect(r.body).toMatchObject({
      outcome: 'exempt',
      outcomeZh: '免责',
      reasons: 'Duties performed; the loss came from a technology shift.',
      decidedBy: await id('department_head_3'),
      accountabilityReferral: false,
      accountability: [],
      negativeList: { version: 'negative-list-2026.1', clear: true, flagged: [] },
      configVersions: {
        criteria: 'criteria-2026.1',
        negativeList: 'negative-list-2026.1',
        monitoring: 'monitoring-2026.1',
        notice: 'notice-2026.2',
        calendar: 'cn-2026.1',
        committeeRule: 'committee-2026.1',
        definitionsFrozen: true,
      },
    });
    expect(r.body.tolerance.basis).toBe('decision');
    expect(r.body.tolerance.asOf).toBe(r.body.decidedAt);
    expect(r.body.notice).toMatchObject({
      periodDays: 5,
      periodUnit: 'working_days',
      calendarVersion: 'cn-2026.1',
      startsAt: r.body.decidedAt,
      concludedAt: null,
    });
    // Five working days from the next working day, to the close of the last (24:00 China Standard Time).
    expect(r.body.notice.endsAt).toBe(calendar.addWorkingDays(new Date(r.body.decidedAt), 5).toISOString());
    expect(new Date(Date.parse(r.body.notice.endsAt) + 8 * 3600_000).toISOString().slice(11)).toBe('23:59:59.999Z');
    expect(Date.parse(r.body.notice.endsAt) - Date.parse(r.body.decidedAt)).toBeGreaterThanOrEqual(5 * DAY);
    expect(r.body.people[verifier]).toEqual({ username: 'compliance_officer_1', displayName: expect.any(String) });

    const early = await x.d.send(caseId, 'compliance_officer_1', { type: 'CONCLUDE_NOTICE' });
    expect(early.status).toBe(422);
    expect(early.body.message).toBe(`The public notice period runs until ${r.body.notice.endsAt}; it cannot be concluded before then.`);
  });

  it('partial path: a criterion not met refuses exempt (422 naming it), partial is recorded', async () => {
    const caseId = await x.review({ fundedDaysAgo: 200 });
    let r = await x.record(caseId);
    const cadence = r.body.proceduralReport.items.find((i: { code: string }) => i.code === 'monitoring_cadence');
    expect(cadence.met).toBe(false);
    expect(cadence.figures.longestGapDays).toBeGreaterThanOrEqual(199);
    expect(r.body.criteria.find((c: { criterion: string }) => c.criterion === 'timely_monitoring').autoEvidence).toMatchObject({
      met: false,
      unmet: ['monitoring_cadence'],
    });

    await x.verifyAll(caseId, { timely_monitoring: 'not_met' });
    const refused = await x.tryDecide(caseId, { outcome: 'exempt', reasons: 'r' });
    expect(refused.status).toBe(422);
    expect(refused.body.message).toMatch(/Full exemption is refused while criterion timely_monitoring \(投后管理到位.*\) is not met/);
    await x.decide(caseId, {
      outcome: 'partial',
      reasons: 'No reports for seven months; otherwise diligent.',
      accountability: [
        { userId: await id('investment_manager_1'), responsibility: 'direct', reduction: 'lighter', reason: 'Otherwise diligent.' },
      ],
    });
    r = await x.record(caseId);
    expect(r.body).toMatchObject({ outcome: 'partial', outcomeZh: '从轻/减轻', accountabilityReferral: false });
    expect(r.body.accountability).toEqual([
      expect.objectContaining({ responsibility: 'direct', reduction: 'lighter', reductionZh: '从轻', reason: 'Otherwise diligent.' }),
    ]);
    expect(r.body.criteria.find((c: { criterion: string }) => c.criterion === 'timely_monitoring')).toMatchObject({ finding: 'not_met' });
  });

  it('not-exempt path: refers each named person with their responsibility; unknown or missing persons are refused', async () => {
    const caseId = await x.review({ proceedsFen: 'write_off' });
    await x.verifyAll(caseId, { lawful_compliant: 'not_met' });
    const none = await x.tryDecide(caseId, { outcome: 'not_exempt', reasons: 'r' });
    expect(none.status).toBe(422);
    expect(none.body.message).toMatch(/must name, in accountability, each person referred/);
    const ghost = await x.tryDecide(caseId, {
      outcome: 'not_exempt',
      reasons: 'r',
      accountability: [{ userId: '00000000-0000-4000-8000-000000000001', responsibility: 'direct' }],
    });
    expect(ghost.status).toBe(422);
    expect(ghost.body.message).toMatch(/No active user with id 00000000-0000-4000-8000-000000000001/);
    const badKind = await x.tryDecide(caseId, {
      outcome: 'not_exempt',
      reasons: 'r',
      accountability: [{ userId: await id('investment_manager_1'), responsibility: 'moral' }],
    });
    expect(badKind.status).toBe(400);

    const owner = await id('investment_manager_1');
    const head = await id('department_head_1');
    await x.decide(caseId, {
      outcome: 'not_exempt',
      reasons: 'A prohibited guarantee was signed.',
      accountability: [
        { userId: owner, responsibility: 'direct' },
        { userId: head, responsibility: 'supervisory' },
      ],
    });
    const r = await x.record(caseId);
    expect(r.body).toMatchObject({
      trigger: 'write_off',
      outcome: 'not_exempt',
      accountabilityReferral: true,
      accountability: [
        { userId: owner, responsibility: 'direct', responsibilityZh: '直接责任', recordedDissent: false },
        { userId: head, responsibility: 'supervisory', responsibilityZh: '主管责任', recordedDissent: false },
      ],
      loss: { investedFen: 100_000_000, proceedsFen: 0, lossFen: 100_000_000 },
    });
    expect(r.body.participants.find((p: { userId: string }) => p.userId === head)).toMatchObject({
      referral: 'supervisory',
      personallyExempt: false,
    });
    expect(r.body.people[owner].username).toBe('investment_manager_1');
  });

  it('negative list: a flagged item blocks exempt with a 422 naming it; an unknown item is refused', async () => {
    const caseId = await x.review();
    const unknown = await x.flag(caseId, 'bribery', ['investment_manager_1']);
    expect(unknown.status).toBe(422);
    expect(unknown.body.message).toMatch(/Unknown negative-list item "bribery"/);
    await x.d.ok(caseId, 'compliance_officer_2', {
      type: 'FLAG_NEGATIVE_LIST',
      item: 'personal_gain',
      note: 'Consulting fees paid to a relative of the manager.',
      persons: [await id('investment_manager_1')],
      evidence: [{ title: 'Bank statement', ref: 'EV-2026-001' }],
    });
    await x.verifyAll(caseId);
    const refused = await x.tryDecide(caseId, { outcome: 'exempt', reasons: 'r' });
    expect(refused.status).toBe(422);
    expect(refused.body.message).toBe(
      `Negative-list item personal_gain (谋取私利 / Personal or illegal gain) is flagged (负面清单): while a flag stands the only outcome is not_exempt, referring ${await id('investment_manager_1')}. A flag is withdrawn only by a recorded ruling (WITHDRAW_FLAG).`,
    );
    expect(refused.body.messageZh).toBeDefined();
    expect((await x.d.get(caseId)).state).toBe('exemptionReview.decision');
    const r = await x.record(caseId);
    expect(r.body.negativeList).toMatchObject({ clear: false, flagged: ['personal_gain'] });
    expect(r.body.negativeList.items.find((i: { item: string }) => i.item === 'personal_gain')).toMatchObject({
      titleZh: '谋取私利',
      source: 'rule',
      flagged: true,
      flags: [
        {
          index: 0,
          by: await id('compliance_officer_2'),
          at: expect.any(String),
          note: 'Consulting fees paid to a relative of the manager.',
          persons: [await id('investment_manager_1')],
          evidence: [{ title: 'Bank statement', ref: 'EV-2026-001' }],
          withdrawal: null,
        },
      ],
    });
  });

  it('shows a dissenting voter and a conditional risk officer as personally exempt whatever the outcome', async () => {
    const caseId = await x.review({ votes: ['approve', 'approve', 'approve', 'approve', 'reject'], opinion: 'conditional' });
    await x.verifyAll(caseId, { objective_cause: 'not_met' });
    const m1 = await id('committee_member_1');
    const m5 = await id('committee_member_5');
    await x.decide(caseId, {
      outcome: 'not_exempt',
      reasons: 'The loss was foreseeable.',
      accountability: [{ userId: m1, responsibility: 'leadership' }],
    });
    const r = await x.record(caseId);
    const p = (userId: string) => r.body.participants.find((x: { userId: string }) => x.userId === userId);
    expect(p(m5)).toMatchObject({
      dissent: true,
      personallyExempt: true,
      referral: null,
      actions: [expect.objectContaining({ kind: 'committee_vote', position: 'reject', dissent: true })],
    });
    expect(p(m5).basis).toMatch(/Order No\. 46 Art\. 36\(4\)/);
    expect(p(m1)).toMatchObject({ dissent: false, personallyExempt: false, referral: 'leadership' });
    expect(p(await id('risk_officer_1'))).toMatchObject({
      dissent: true,
      personallyExempt: true,
      actions: [expect.objectContaining({ kind: 'risk_opinion', position: 'conditional' })],
    });
    expect(p(await id('department_head_1')).actions[0].kind).toBe('screening_approval');
    expect(p(await id('committee_chair_1')).actions[0].kind).toBe('close_voting');
  });

  it('upholds an objection back to verification, keeping the earlier round; the team may not object', async () => {
    const caseId = await x.review();
    await x.verifyAll(caseId);
    await x.decide(caseId, { outcome: 'exempt', reasons: 'Duties performed.' });
    const team = await x.d.send(caseId, 'investment_manager_1', { type: 'RAISE_OBJECTION', text: 'x' });
    expect(team.status).toBe(403);
    await x.d.ok(caseId, 'department_head_2', { type: 'RAISE_OBJECTION', text: 'The legal review missed the guarantee.' });
    const pending = await x.d.send(caseId, 'compliance_officer_1', { type: 'CONCLUDE_NOTICE' });
    expect(pending.status).toBe(422);
    const back = await x.d.ok(caseId, 'compliance_officer_2', {
      type: 'RULE_ON_OBJECTION',
      objection: 0,
      upheld: true,
      note: 'Guarantee found in the archive.',
    });
    expect(back.state).toBe('exemptionReview.verification');
    const r = await x.record(caseId);
    expect(r.body).toMatchObject({ outcome: null, notice: null, tolerance: { basis: 'live' } });
    expect(r.body.criteria.every((c: { finding: string | null }) => c.finding === null)).toBe(true);
    expect(r.body.objections).toEqual([
      expect.objectContaining({
        index: 0,
        text: 'The legal review missed the guarantee.',
        ruling: expect.objectContaining({ upheld: true }),
      }),
    ]);
    expect(r.body.previousRounds).toHaveLength(1);
    expect(r.body.previousRounds[0].decision).toMatchObject({ outcome: 'exempt' });
    expect(Object.keys(r.body.previousRounds[0].findings)).toHaveLength(6);
  });

  it('tolerance: freezes the fund’s figures at each decision; the fund shows live life-to-date figures', async () => {
    const fundId = await x.createFund('venture'); // tolerance 50%
    const profit = await x.funded({ fundId, amountFen: 100_000_000 });
    await x.exit(profit, 120_000_000);
    const within = await x.review({ fundId, amountFen: 100_000_000, proceedsFen: 40_000_000 });
    await x.verifyAll(within);
    await x.decide(within, { outcome: 'exempt', reasons: 'r' });
    const frozenWithin = {
      investedFen: 200_000_000,
      realizedLossFen: 60_000_000,
      lossRate: 0.3,
      limitRate: 0.5,
      withinTolerance: true,
      basis: 'decision',
    };
    expect((await x.record(within)).body.tolerance).toMatchObject(frozenWithin);

    const over = await x.review({ fundId, amountFen: 100_000_000, proceedsFen: 'write_off' });
    expect((await x.record(over)).body.tolerance).toMatchObject({
      basis: 'live',
      investedFen: 300_000_000,
      realizedLossFen: 160_000_000,
      withinTolerance: false,
    });
    await x.verifyAll(over);
    await x.decide(over, {
      outcome: 'partial',
      reasons: 'r',
      accountability: [{ userId: await id('investment_manager_1'), responsibility: 'direct', reduction: 'reduced', reason: 'r' }],
    });
    expect((await x.record(over)).body.tolerance).toMatchObject({
      basis: 'decision',
      investedFen: 300_000_000,
      realizedLossFen: 160_000_000,
      lossRate: 0.533333,
      withinTolerance: false,
    });

    // A later loss in the fund does not change the first decision's frozen figures.
    expect((await x.record(within)).body.tolerance).toMatchObject(frozenWithin);
    const { auth } = await t.as('auditor_1');
    const fund = await t.http().get(`/api/funds/${fundId}`).set(auth);
    expect(fund.body.tolerance).toEqual({
      policyVersion: 'tolerance-2026.2',
      limitRate: 0.5,
      perProjectCeiling: null,
      investedFen: 300_000_000,
      realizedLossFen: 160_000_000,
      lossRate: 0.533333,
      withinTolerance: false,
    });
    const list = await t.http().get('/api/funds').set(auth);
    expect(list.body.find((f: { id: string }) => f.id === fundId).tolerance).toEqual(fund.body.tolerance);
  });
});
