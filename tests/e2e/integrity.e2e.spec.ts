/**
 * Decision integrity (issue 11) through HTTP: the panel and its recusals, the negative list binding
 * every outcome, partial naming each person, dissent shielding the collective decision only, the
 * override reason against automatic evidence, referrals to discipline inspection, and separation of
 * duties at every stage.
 */
import { COMMITTEE } from '../support/case-driver';
import { ExemptionDriver, PANEL } from '../support/exemption-driver';
import { bootTestApp, type TestApp } from '../support/test-app';
import { calendarClock } from '../support/test-clock';

/** Working-day periods (notice, hearing, appeal) stay inside the 2026 calendar whatever the real date. */
const clock = calendarClock();

/** The default panel policy with the risk officer's role added, so that their recusal can be seen. */
const tier = (quorum: number, majorityNumerator: number, majorityDenominator: number, strict: boolean, body = '免责认定小组') => ({
  body,
  roles: ['committee_chair', 'committee_member', 'department_head', 'risk_officer'],
  quorum,
  majorityNumerator,
  majorityDenominator,
  strict,
});
const DECISION = {
  version: 'decision-test.1',
  tiers: { general: tier(3, 1, 2, true), major: tier(3, 2, 3, false), grave: tier(4, 2, 3, false, '党委会') },
};

describe('decision integrity (issue 11) through HTTP', () => {
  let t: TestApp;
  let x: ExemptionDriver;
  beforeAll(async () => {
    clock.install();
    t = await bootTestApp({
      env: { ...clock.env, EXEMPTION_NOTICE_PERIOD_DAYS: '0' },
      configOverrides: { 'exemption/decision.yaml': DECISION },
    });
    x = new ExemptionDriver(t);
  });
  afterAll(async () => {
    clock.uninstall();
    await t.close();
  });

  const id = async (username: string) => (await t.as(username)).id;
  const verifyAllExcept = async (caseId: string, skip: string) => {
    const { VERIFIER } = await import('../support/exemption-driver');
    for (const [criterion, verifier] of Object.entries(VERIFIER)) {
      if (criterion === skip) continue;
      await x.d.ok(caseId, verifier, { type: 'VERIFY_CRITERION', criterion, finding: 'met', note: 'checked' });
    }
  };

  it('scenario: no packing, no self-ruling, no conflicted panel, the negative list and dissent rules hold', async () => {
    // 1. The team cannot be packed with reviewers or voters at any stage.
    const caseId = await x.review({ votes: ['approve', 'approve', 'approve', 'approve', 'reject'], file: false, fundedDaysAgo: 200 });
    const draft = await x.d.create();
    const packDraft = await x.d.send(draft.id, 'investment_manager_1', {
      type: 'ADD_TEAM_MEMBER',
      userId: await id('compliance_officer_1'),
    });
    expect(packDraft.status).toBe(403);
    expect(packDraft.body.message).toMatch(/holds the role compliance_officer \(合规\), which reviews or decides a step of this case/);
    const committeeCase = await x.d.create();
    await x.d.toCommittee(committeeCase.id);
    const packVoter = await x.d.send(committeeCase.id, 'investment_manager_1', {
      type: 'ADD_TEAM_MEMBER',
      userId: await id('committee_member_3'),
      reason: 'needed',
    });
    expect(packVoter.status).toBe(403);
    expect(packVoter.body.message).toMatch(/holds the role committee_member/);
    const monitoringCase = await x.funded();
    for (const who of ['compliance_officer_1', 'compliance_officer_2']) {
      const r = await x.d.send(monitoringCase, 'investment_manager_1', { type: 'ADD_TEAM_MEMBER', userId: await id(who), reason: 'help' });
      expect(r.status).toBe(403);
    }
    // Frozen since the committee vote: even an analyst joins only with a reason and a department head's approval.
    const frozen = await x.d.send(monitoringCase, 'investment_manager_1', {
      type: 'ADD_TEAM_MEMBER',
      userId: await id('investment_manager_2'),
    });
    expect(frozen.status).toBe(422);
    expect(frozen.body.message).toMatch(/team froze when the committee vote opened/);

    // 2. The verification: an override without a reason is refused; the record shows it beside the finding.
    await x.file(caseId);
    await verifyAllExcept(caseId, 'timely_monitoring');
    const flagged = await x.flag(caseId, 'personal_gain', ['committee_member_5']);
    expect(flagged.status).toBe(200);
    // Funded 200 days ago with no report: the cadence's automatic evidence is not met.
    const override = { type: 'VERIFY_CRITERION', criterion: 'timely_monitoring', finding: 'met', note: 'ok' };
    const noReason = await x.d.send(caseId, 'compliance_officer_1', override);
    expect(noReason.status).toBe(422);
    expect(noReason.body.message).toMatch(/recording met needs an overrideReason/);
    await x.d.ok(caseId, 'compliance_officer_1', { ...override, overrideReason: 'Reports filed on paper.' });
    // Machine version 5: the three distinctions; the kickback is on the culpable side of the third.
    await x.distinguish(caseId, { development_vs_personal_gain: 'culpable' });

    // 3. The chair who closed the vote, the voters and the risk officer may not sit on the panel nor decide.
    const tries: [string, RegExp][] = [
      ['committee_chair_1', /closed the committee vote on this investment: recused automatically/],
      ['committee_member_1', /voted on this investment in committee: recused automatically/],
      ['committee_member_5', /voted on this investment in committee: recused automatically/],
      ['risk_officer_1', /gave the risk opinion on this case: recused automatically/],
      ['department_head_1', /approved this case at screening: recused automatically/],
    ];
    for (const [who, reason] of tries) {
      const vote = await x.d.send(caseId, who, { type: 'CAST_PANEL_VOTE', outcome: 'exempt', reasons: 'r' });
      expect(vote.status).toBe(403);
      expect(vote.body.message).toMatch(reason);
      const decide = await x.d.send(caseId, who, { type: 'DECIDE_EXEMPTION', outcome: 'exempt', reasons: 'r' });
      expect(decide.status).toBe(403);
      expect(decide.body.message).toMatch(reason);
    }
    expect((await x.d.get(caseId, 'committee_chair_1')).availableEvents).toEqual([]);

    // 4. partial with a standing flag is refused; the flagged member who voted reject is still referred.
    const partial = await x.tryDecide(caseId, {
      outcome: 'partial',
      accountability: [{ userId: await id('investment_manager_1'), responsibility: 'direct', reduction: 'lighter', reason: 'r' }],
    });
    expect(partial.status).toBe(422);
    expect(partial.body.message).toMatch(/while a flag stands the only outcome is not_exempt/);
    const m5 = await id('committee_member_5');
    const decided = await x.decide(caseId, {
      outcome: 'not_exempt',
      reasons: 'A kickback was paid to a committee member.',
      accountability: [{ userId: m5, responsibility: 'direct' }],
    });
    expect(decided.state).toBe('exemptionReview.publicNotice');
    const r = await x.record(caseId);
    expect(r.body.accountability).toEqual([expect.objectContaining({ userId: m5, recordedDissent: true, namedInFlag: true })]);
    expect(r.body.participants.find((p: { userId: string }) => p.userId === m5)).toMatchObject({ dissent: true, personallyExempt: false });
    expect(r.body.panel).toMatchObject({ body: '免责认定小组', tier: 'general', policyVersion: 'decision-test.1', quorum: 3 });
    expect(r.body.panel.votes.map((v: { by: string; outcome: string }) => v.outcome)).toEqual(['not_exempt', 'not_exempt', 'not_exempt']);
    expect(r.body.panel.recusedAutomatically.map((a: { userId: string }) => a.userId)).toEqual(
      expect.arrayContaining([await id('committee_chair_1'), await id('risk_officer_1'), m5]),
    );
    // Reviews opened now run under machine version 7 (due process around the decision, version 5, made stricter).
    expect(r.body.rules.version).toBe(7);
    expect(r.body.dueProcess.hearings[0]).toMatchObject({
      proposedOutcome: 'not_exempt',
      persons: [{ userId: m5, responsibility: 'direct' }],
    });
    expect(r.body.dueProcess.legalityReviews).toEqual([expect.objectContaining({ conclusion: 'favourable' })]);

    // 5. A verifier cannot rule on an objection to their own finding; the referral reaches discipline inspection.
    await x.d.ok(caseId, 'department_head_2', { type: 'RAISE_OBJECTION', text: 'The verification missed the board minutes.' });
    const own = await x.d.send(caseId, 'compliance_officer_1', { type: 'RULE_ON_OBJECTION', objection: 0, upheld: false, note: 'n' });
    expect(own.status).toBe(403);
    expect(own.body.message).toMatch(/nobody rules on an objection to their own finding or decision/);
    const flagger = await x.d.send(caseId, 'compliance_officer_2', { type: 'RULE_ON_OBJECTION', objection: 0, upheld: false, note: 'n' });
    expect(flagger.status).toBe(403);
    await x.d.ok(caseId, 'compliance_officer_3', { type: 'RULE_ON_OBJECTION', objection: 0, upheld: false, note: 'Minutes read.' });
    const { auth } = await t.as('discipline_officer_1');
    const queue = await t.http().get(`/api/tasks?queue=discipline_officer&caseId=${caseId}`).set(auth);
    expect(queue.body.items.map((k: { kind: string }) => k.kind)).toEqual(['receive_referral']);
    const early = await x.d.send(caseId, 'compliance_officer_1', { type: 'CONCLUDE_NOTICE' });
    expect(early.status).toBe(422);
    expect(early.body.message).toMatch(/must be received \(RECEIVE_REFERRAL\)/);
    expect((await x.d.send(caseId, 'compliance_officer_1', { type: 'RECEIVE_REFERRAL' })).status).toBe(403);
    await x.receiveReferral(caseId);
    expect((await x.d.ok(caseId, 'compliance_officer_1', { type: 'CONCLUDE_NOTICE' })).state).toBe('closed');
  });

  it('needs an override reason to record met against not-met automatic evidence, and shows it beside the finding', async () => {
    const caseId = await x.review({ fundedDaysAgo: 200 });
    const refused = await x.d.send(caseId, 'compliance_officer_1', {
      type: 'VERIFY_CRITERION',
      criterion: 'timely_monitoring',
      finding: 'met',
      note: 'Reports exist.',
    });
    expect(refused.status).toBe(422);
    expect(refused.body.message).toMatch(/automatic evidence of criterion timely_monitoring .* is not met \(monitoring_cadence/);
    await x.d.ok(caseId, 'compliance_officer_1', {
      type: 'VERIFY_CRITERION',
      criterion: 'timely_monitoring',
      finding: 'met',
      note: 'Reports exist.',
      overrideReason: 'Quarterly reports were filed on paper (archive P-7).',
    });
    const r = await x.record(caseId);
    expect(r.body.criteria.find((c: { criterion: string }) => c.criterion === 'timely_monitoring')).toMatchObject({
      finding: 'met',
      overrideReason: 'Quarterly reports were filed on paper (archive P-7).',
      autoEvidenceAtFinding: { met: false, unmet: ['monitoring_cadence'] },
    });
    const history = await x.history(caseId);
    const entry = history.find((e) => e.type === 'VERIFY_CRITERION') as unknown as { payload: { server: unknown } };
    expect(entry.payload.server).toEqual({ autoEvidence: { met: false, unmet: ['monitoring_cadence'] } });
  });

  it('flags need persons and evidence; a flag is withdrawn only by a ruling from someone else, after which exempt is possible', async () => {
    const caseId = await x.review();
    const bare = await x.d.send(caseId, 'compliance_officer_2', { type: 'FLAG_NEGATIVE_LIST', item: 'personal_gain', note: 'n' });
    expect(bare.status).toBe(400);
    expect(bare.body.message).toMatch(/persons must contain at least 1 elements.*evidence must contain at least 1 elements/);
    await x.flag(caseId, 'benefit_transfer', ['investment_manager_1']);
    await x.verifyAll(caseId);
    const notAll = await x.tryDecide(caseId, {
      outcome: 'not_exempt',
      accountability: [{ userId: await id('department_head_1'), responsibility: 'supervisory' }],
    });
    expect(notAll.status).toBe(422);
    expect(notAll.body.message).toMatch(/named in a standing negative-list flag and must be referred/);
    const self = await x.d.send(caseId, 'compliance_officer_2', { type: 'WITHDRAW_FLAG', flag: 0, reason: 'mistake' });
    expect(self.status).toBe(403);
    expect(self.body.message).toMatch(/You raised this flag/);
    await x.d.ok(caseId, 'compliance_officer_1', { type: 'WITHDRAW_FLAG', flag: 0, reason: 'The payment was a documented salary.' });
    const rec = await x.record(caseId);
    expect(rec.body.negativeList).toMatchObject({ clear: true, flagged: [] });
    expect(rec.body.negativeList.items.find((i: { item: string }) => i.item === 'benefit_transfer').flags[0].withdrawal).toMatchObject({
      by: await id('compliance_officer_1'),
      reason: 'The payment was a documented salary.',
    });
    expect((await x.decide(caseId, { outcome: 'exempt' })).state).toBe('exemptionReview.publicNotice');
  });

  it('partial names each person with reduction and reason, and is refused on a negative-list fact', async () => {
    const caseId = await x.review();
    for (const [criterion, verifier] of Object.entries((await import('../support/exemption-driver')).VERIFIER)) {
      await x.d.ok(caseId, verifier, {
        type: 'VERIFY_CRITERION',
        criterion,
        finding: criterion === 'no_personal_gain' ? 'not_met' : 'met',
        note: 'checked',
        ...(criterion === 'no_personal_gain' ? { negativeListFacts: ['undisclosed_related_party'] } : {}),
      });
    }
    const owner = await id('investment_manager_1');
    const bare = await x.tryDecide(caseId, { outcome: 'partial' });
    expect(bare.status).toBe(422);
    const resting = await x.tryDecide(caseId, {
      outcome: 'partial',
      accountability: [{ userId: owner, responsibility: 'direct', reduction: 'reduced', reason: 'r' }],
    });
    expect(resting.status).toBe(422);
    expect(resting.body.message).toMatch(/rests on negative-list fact undisclosed_related_party/);
  });

  it('a member may recuse themselves with a reason; the votes and the carried outcome are on the record', async () => {
    const caseId = await x.review();
    await x.verifyAll(caseId);
    const recuse = await x.d.ok(caseId, 'department_head_2', { type: 'RECUSE_FROM_PANEL', reason: 'Former colleague of the founder.' });
    expect(recuse.availableEvents).toEqual([]);
    const after = await x.d.send(caseId, 'department_head_2', { type: 'CAST_PANEL_VOTE', outcome: 'exempt', reasons: 'r' });
    expect(after.status).toBe(403);
    expect(after.body.message).toMatch(/recused yourself from this panel .*Former colleague/);
    // Each free member has a vote task; the chair's queue has none for them.
    const tasks = (await x.d.get(caseId)).tasks.map((k: { kind: string; assigneeId: string }) => k.kind);
    expect(tasks.filter((k: string) => k === 'panel_vote').length).toBeGreaterThanOrEqual(3);
    await x.d.ok(caseId, PANEL[0], { type: 'CAST_PANEL_VOTE', outcome: 'exempt', reasons: 'Objective cause.' });
    await x.d.ok(caseId, PANEL[1], { type: 'CAST_PANEL_VOTE', outcome: 'exempt', reasons: 'Agree.' });
    const short = await x.d.send(caseId, PANEL[0], { type: 'DECIDE_EXEMPTION', outcome: 'exempt', reasons: 'r' });
    expect(short.status).toBe(422);
    expect(short.body.message).toMatch(/No outcome has carried .*2 vote\(s\) cast of the 3/);
    await x.d.ok(caseId, PANEL[2], { type: 'CAST_PANEL_VOTE', outcome: 'partial', reasons: 'Reports were thin.' });
    const wrong = await x.d.send(caseId, PANEL[0], { type: 'DECIDE_EXEMPTION', outcome: 'partial', reasons: 'r' });
    expect(wrong.status).toBe(422);
    expect(wrong.body.message).toMatch(/carried exempt, not partial/);
    await x.d.ok(caseId, PANEL[0], { type: 'DECIDE_EXEMPTION', outcome: 'exempt', reasons: 'Carried 2 to 1.' });
    const r = await x.record(caseId);
    expect(r.body.panel.recusals).toEqual([
      expect.objectContaining({ by: await id('department_head_2'), reason: 'Former colleague of the founder.' }),
    ]);
    expect(r.body.panel.tally).toMatchObject({ cast: 3, exempt: 2, partial: 1, carried: 'exempt' });
    expect(r.body.configVersions.decision).toBe('decision-test.1');
    expect(COMMITTEE).toHaveLength(5);
  });

  it('four eyes on the exit proceeds: a department head confirms them from the source document, the owner must enter the same figure', async () => {
    const d = x.d;
    const c = (await d.create()).id as string;
    await d.toMonitoring(c);
    await d.ok(c, 'investment_manager_1', { type: 'START_EXIT', channel: 'transfer' });
    const exit = { type: 'COMPLETE_EXIT', exitedAt: new Date(Date.now() - 86_400_000).toISOString() };

    const alone = await d.send(c, 'investment_manager_1', { ...exit, proceedsFen: 40_000_000 });
    expect(alone.status).toBe(422);
    expect(alone.body.message).toMatch(/must first be confirmed by a department head against the source document/);
    const own = await d.send(c, 'investment_manager_1', { type: 'CONFIRM_EXIT_AMOUNT', proceedsFen: 40_000_000, sourceDocument: 'mine' });
    expect(own.status).toBe(403);
    // The confirmation waits in the department heads' queue.
    const { auth: head } = await t.as('department_head_2');
    const queue = await t.http().get(`/api/tasks?caseId=${c}&queue=department_head`).set(head);
    expect(queue.body.items.map((i: { kind: string }) => i.kind)).toEqual(['confirm_exit_amount']);

    await d.ok(c, 'department_head_2', { type: 'CONFIRM_EXIT_AMOUNT', proceedsFen: 35_000_000, sourceDocument: '股权转让协议 第12号' });
    const typo = await d.send(c, 'investment_manager_1', { ...exit, proceedsFen: 40_000_000 });
    expect(typo.status).toBe(422);
    expect(typo.body.message).toMatch(/\(40000000 fen\) differ from the 35000000 fen a department head confirmed from 股权转让协议 第12号/);
    const done = await d.ok(c, 'investment_manager_1', { ...exit, proceedsFen: 35_000_000 });
    expect(done.state).toBe('exemptionReview.application');
    expect(done.workflow.exit.confirmation).toMatchObject({ proceedsFen: 35_000_000, sourceDocument: '股权转让协议 第12号' });
    const history = (await t.http().get(`/api/cases/${c}/history`).set(head)).body as { type: string; actorId: string }[];
    expect(history.map((e) => e.type).slice(-2)).toEqual(['CONFIRM_EXIT_AMOUNT', 'COMPLETE_EXIT']);
  });
});
