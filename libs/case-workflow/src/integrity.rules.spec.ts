import { MACHINE_VERSION } from './case.machine';
import { migrateSnapshot, persistSnapshot, restoreSnapshot, statePath, type CaseSnapshot } from './case.snapshot';
import { desiredTasks } from './case.tasks';
import { availableEvents } from './case.workflow';
import { DomainErrorCode } from './domain.exception';
import { describeTally, recusalReason, tallyPanel } from './panel.rules';
import type { Actor, Role } from './roles';
import {
  advanceDays,
  at,
  chair,
  compliance,
  compliance2,
  discipline,
  EVIDENCE,
  head,
  head2,
  legal,
  legal2,
  members,
  owner,
  owner2,
  PANEL,
  policies,
  refused,
  risk,
  send,
  start,
  toCommittee,
  toDecision,
  toVerification,
  vote,
} from './testing/case-fixture';

const m = (i: number) => members[i - 1];
const flag = (persons: string[], item = 'x') => ({ type: 'FLAG_NEGATIVE_LIST', item, note: 'gift found', persons, evidence: EVIDENCE });
const decideEv = (outcome: string, accountability?: Record<string, unknown>[]) => ({
  type: 'DECIDE_EXEMPTION',
  outcome,
  reasons: 'r',
  noticePeriodDays: 5,
  ...(accountability ? { accountability } : {}),
});
const panelVote = (s: CaseSnapshot, voters: Actor[], outcome: string) => {
  voters.forEach((v) => (s = send(s, v, { type: 'CAST_PANEL_VOTE', outcome, reasons: `${outcome} because` })));
  return s;
};
/** The three panel members not recused in the fixture's cases: m6, m7 and head2 (head approved screening). */
const PANEL_FREE = [members[5], members[6], head2];
const taskKeys = (s: CaseSnapshot) =>
  desiredTasks(s, { committeeMembers: [], criterionQueue: () => 'compliance_officer', monitoringCadenceDays: 92 }).map(
    (t) => `${t.queue}:${t.key}`,
  );

describe('point 1: the exemption decision is a panel’s, with recusal (回避)', () => {
  it('recuses the team and everyone who took part in the investment decision, naming the reason', () => {
    const s = toDecision();
    expect(s.context.exemption?.panel?.rule).toMatchObject({ tier: 'general', quorum: 3 });
    const castBy = (a: Actor) => refused(s, a, { type: 'CAST_PANEL_VOTE', outcome: 'exempt', reasons: 'r' });
    expect(castBy(chair).message).toMatch(/closed the committee vote on this investment: recused automatically/);
    expect(castBy(m(1)).message).toMatch(/voted on this investment in committee: recused automatically/);
    expect(castBy(head).message).toMatch(/approved this case at screening: recused automatically/);
    expect(castBy({ id: 'risk', roles: ['risk_officer', 'committee_member'] }).message).toMatch(/gave the risk opinion/);
    expect(castBy({ id: 'owner', roles: ['investment_manager', 'department_head'] }).message).toMatch(
      /owner or a member of this case team/,
    );
    expect(castBy(compliance).message).toMatch(/formed of committee_chair, committee_member, department_head/);
    expect(castBy(chair).code).toBe(DomainErrorCode.Forbidden);
    // The chair who closed the vote can no longer decide alone either.
    expect(refused(s, chair, decideEv('exempt')).message).toMatch(/recused automatically/);
    expect(recusalReason(s.context, 'm6')).toBeNull();
  });

  it('records each vote with reasons, lets a member recuse themselves, and adopts only the outcome that carried', () => {
    let s = toDecision();
    s = send(s, m(6), { type: 'CAST_PANEL_VOTE', outcome: 'exempt', reasons: 'objective cause' });
    s = send(s, m(6), { type: 'RECUSE_FROM_PANEL', reason: 'my brother-in-law works at the company' });
    expect(s.context.exemption?.panel?.votes).toEqual([]);
    expect(refused(s, m(6), { type: 'CAST_PANEL_VOTE', outcome: 'exempt', reasons: 'r' }).message).toMatch(
      /recused yourself from this panel .*brother-in-law/,
    );
    s = panelVote(s, [m(7), head2], 'exempt');
    // Two votes of the three the quorum needs.
    expect(refused(s, m(7), decideEv('exempt')).message).toMatch(/No outcome has carried .*2 vote\(s\) cast of the 3/);
    const m5free: Actor = { id: 'm8', roles: ['committee_member'] };
    s = send(s, m5free, { type: 'CAST_PANEL_VOTE', outcome: 'not_exempt', reasons: 'should have seen it' });
    expect(refused(s, m(7), decideEv('not_exempt', [{ userId: 'owner', responsibility: 'direct' }])).message).toMatch(
      /carried exempt, not not_exempt/,
    );
    // Only a member who voted records the decision.
    expect(refused(s, { id: 'm9', roles: ['committee_member'] }, decideEv('exempt')).message).toMatch(/panel member who voted/);
    s = send(s, m(7), decideEv('exempt'));
    expect(statePath(s.value)).toBe('exemptionReview.publicNotice');
    expect(s.context.exemption?.decision?.panelVotes?.map((v) => [v.by, v.outcome, v.reasons])).toEqual([
      ['m7', 'exempt', 'exempt because'],
      ['head2', 'exempt', 'exempt because'],
      ['m8', 'not_exempt', 'should have seen it'],
    ]);
  });

  it('applies the majority and quorum of the loss tier: a grave loss needs four votes and two thirds', () => {
    const grave = toDecision({ amountFen: 6_000_000_000 });
    expect(grave.context.exemption?.panel?.rule).toMatchObject({ tier: 'grave', body: '党委会', quorum: 4 });
    const rule = PANEL.tiers.general;
    const v = (outcome: 'exempt' | 'partial' | 'not_exempt') => ({ by: 'x', at: '', outcome, reasons: '' });
    expect(tallyPanel([v('exempt'), v('exempt'), v('partial')], rule).carried).toBe('exempt');
    // Simple majority is strict: 2 of 4 is not more than half.
    expect(tallyPanel([v('exempt'), v('exempt'), v('partial'), v('not_exempt')], rule).carried).toBeNull();
    expect(tallyPanel([v('exempt'), v('exempt'), v('partial')], PANEL.tiers.major).carried).toBe('exempt');
    expect(tallyPanel([v('exempt'), v('exempt'), v('partial'), v('partial')], PANEL.tiers.grave).carried).toBeNull();
    expect(describeTally(tallyPanel([v('exempt')], rule), rule)).toMatch(/1 vote\(s\) cast of the 3 the 免责认定小组 needs/);
  });

  it('keeps every outcome rule on the panel’s outcome: a standing flag refuses the exempt the panel carried', () => {
    let s = toDecision();
    s = send(s, compliance, flag(['owner']));
    s = panelVote(s, PANEL_FREE, 'exempt');
    expect(refused(s, m(6), decideEv('exempt')).message).toMatch(/while a flag stands the only outcome is not_exempt/);
  });

  it('leaves a review opened without a panel policy to the committee chair', () => {
    let s = toDecision({ panel: false });
    expect(s.context.exemption?.panel).toBeNull();
    expect(refused(s, m(6), { type: 'CAST_PANEL_VOTE', outcome: 'exempt', reasons: 'r' }).message).toMatch(/committee chair alone/);
    s = send(s, chair, decideEv('exempt'));
    expect(statePath(s.value)).toBe('exemptionReview.publicNotice');
  });
});

describe('point 2: the negative list binds every outcome', () => {
  it('needs persons and evidence on a flag', () => {
    const s = toVerification();
    expect(refused(s, compliance, { type: 'FLAG_NEGATIVE_LIST', item: 'x', note: 'n', evidence: EVIDENCE }).message).toMatch(
      /names the person\(s\) whose conduct it concerns/,
    );
    expect(refused(s, compliance, { type: 'FLAG_NEGATIVE_LIST', item: 'x', note: 'n', persons: ['owner'] }).message).toMatch(
      /cites its evidence/,
    );
  });

  it('allows only not_exempt while a flag stands, referring every person it names', () => {
    let s = toDecision({ panel: false });
    s = send(s, compliance, flag(['owner', 'm2']));
    expect(
      refused(s, chair, decideEv('partial', [{ userId: 'owner', responsibility: 'direct', reduction: 'lighter', reason: 'r' }])).message,
    ).toMatch(/only outcome is not_exempt, referring owner, m2/);
    expect(refused(s, chair, decideEv('not_exempt', [{ userId: 'owner', responsibility: 'direct' }])).message).toMatch(
      /Person m2 is named in a standing negative-list flag and must be referred/,
    );
    s = send(
      s,
      chair,
      decideEv('not_exempt', [
        { userId: 'owner', responsibility: 'direct' },
        { userId: 'm2', responsibility: 'supervisory' },
      ]),
    );
    expect(s.context.exemption?.decision?.accountability.map((a) => a.userId)).toEqual(['owner', 'm2']);
  });

  it('withdraws a flag only by a ruling with reasons from someone other than who raised it', () => {
    let s = toDecision({ panel: false });
    s = send(s, compliance, flag(['owner']));
    expect(refused(s, compliance, { type: 'WITHDRAW_FLAG', flag: 0, reason: 'mistaken' }).message).toMatch(/You raised this flag/);
    expect(refused(s, owner, { type: 'WITHDRAW_FLAG', flag: 0, reason: 'mistaken' }).code).toBe(DomainErrorCode.Forbidden);
    expect(refused(s, compliance2, { type: 'WITHDRAW_FLAG', flag: 3, reason: 'r' }).message).toMatch(/no negative-list flag number 3/);
    s = send(s, compliance2, { type: 'WITHDRAW_FLAG', flag: 0, reason: 'the gift was returned before the decision and declared' });
    expect(s.context.exemption?.flags[0].withdrawal).toMatchObject({ by: 'compliance2', reason: expect.stringMatching(/returned/) });
    expect(refused(s, legal2, { type: 'WITHDRAW_FLAG', flag: 0, reason: 'again' }).message).toMatch(/already withdrawn/);
    expect(statePath(send(s, chair, decideEv('exempt')).value)).toBe('exemptionReview.publicNotice');
  });
});

describe('point 3: partial names each person, and is refused on a negative-list fact', () => {
  it('needs each person with responsibility, reduction and reason', () => {
    const s = toDecision({ panel: false, findings: { b: 'not_met' } });
    expect(refused(s, chair, decideEv('partial')).message).toMatch(/partial decision .* names, in accountability, each person/);
    expect(refused(s, chair, decideEv('partial', [{ userId: 'owner', responsibility: 'direct' }])).message).toMatch(
      /needs a reduction .* and a reason: missing for owner/,
    );
    expect(
      refused(s, chair, decideEv('not_exempt', [{ userId: 'owner', responsibility: 'direct', reduction: 'lighter' }])).message,
    ).toMatch(/belongs to a partial decision/);
    const ok = send(
      s,
      chair,
      decideEv('partial', [{ userId: 'owner', responsibility: 'direct', reduction: 'reduced', reason: 'reported early' }]),
    );
    expect(ok.context.exemption?.decision?.accountability).toEqual([
      { userId: 'owner', responsibility: 'direct', reduction: 'reduced', reason: 'reported early' },
    ]);
  });

  it('refuses partial where a not_met finding rests on a negative-list fact', () => {
    let s = toVerification({ panel: false });
    expect(
      refused(s, legal2, { type: 'VERIFY_CRITERION', criterion: 'a', finding: 'met', note: 'n', negativeListFacts: ['x'] }).message,
    ).toMatch(/leave them out of a met finding/);
    s = send(s, legal2, { type: 'VERIFY_CRITERION', criterion: 'a', finding: 'not_met', note: 'kickback', negativeListFacts: ['x'] });
    s = send(s, compliance, { type: 'VERIFY_CRITERION', criterion: 'b', finding: 'met', note: 'n' });
    const partial = decideEv('partial', [{ userId: 'owner', responsibility: 'direct', reduction: 'lighter', reason: 'r' }]);
    expect(refused(s, chair, partial).message).toMatch(/rests on negative-list fact x \(谋取私利/);
  });
});

describe('point 4: dissent shields the collective decision only', () => {
  it('shields a reject vote, a reservation and a non-pass opinion, but not an abstention with reasons', () => {
    const s = toDecision({
      panel: false,
      votes: ['approve', 'reject', 'abstain', 'approve+reservation', 'approve', 'approve', 'approve'],
      opinion: 'conditional',
    });
    const refer = (userId: string) => decideEv('not_exempt', [{ userId, responsibility: 'supervisory' }]);
    for (const id of ['m2', 'm4', 'risk']) {
      expect(refused(s, chair, refer(id)).message).toMatch(/shielded from responsibility for that collective decision/);
    }
    expect(statePath(send(s, chair, refer('m3')).value)).toBe('exemptionReview.publicNotice');
  });

  it('does not shield negative-list conduct named against the dissenter, nor a duty they held', () => {
    let s = toDecision({ panel: false, votes: ['approve', 'reject', 'approve', 'approve', 'approve'] });
    s = send(s, compliance, flag(['m2']));
    expect(statePath(send(s, chair, decideEv('not_exempt', [{ userId: 'm2', responsibility: 'direct' }])).value)).toBe(
      'exemptionReview.publicNotice',
    );
    // A legal officer who wrote the legal DD report and, as risk officer, gave a conditional opinion.
    let d = start();
    const riskLegal: Actor = { id: 'rl', roles: ['risk_officer', 'legal_officer'] };
    d = send(d, owner, { type: 'SUBMIT' });
    d = send(d, head, { type: 'APPROVE' });
    for (const w of ['business', 'financial', 'technical'])
      d = send(d, owner, { type: 'SUBMIT_DD_REPORT', workstream: w, conclusion: 'ok', findings: 'f' });
    d = send(d, riskLegal, { type: 'SUBMIT_DD_REPORT', workstream: 'legal', conclusion: 'ok', findings: 'f' });
    d = send(d, riskLegal, { type: 'RISK_OPINION', opinion: 'conditional', reason: 'r', conditions: 'c' });
    d = vote(d, ['approve', 'approve', 'approve', 'approve', 'approve']);
    d = send(d, chair, { type: 'CLOSE_VOTING', rule: policies.committee });
    d = send(d, owner, { type: 'RECORD_SIGNING', signedAt: '2026-02-01T00:00:00.000Z' });
    d = send(d, owner, { type: 'RECORD_FUNDING', amountFen: 100, fundedAt: '2026-02-02T00:00:00.000Z' });
    d = send(d, head2, { type: 'WRITE_OFF', reason: 'Bankrupt', review: policies.review });
    d = send(d, owner, {
      type: 'FILE_EXEMPTION',
      lossCause: 'market',
      statement: 's',
      evidence: [],
      declarations: { noPersonalGain: true, relatedPartiesDisclosed: true, informationComplete: true },
    });
    d = send(d, legal2, { type: 'VERIFY_CRITERION', criterion: 'a', finding: 'met', note: 'n' });
    d = send(d, compliance, { type: 'VERIFY_CRITERION', criterion: 'b', finding: 'not_met', note: 'n' });
    expect(statePath(send(d, chair, decideEv('not_exempt', [{ userId: 'rl', responsibility: 'direct' }])).value)).toBe(
      'exemptionReview.publicNotice',
    );
  });
});

describe('point 5: automatic evidence binds unless overridden openly', () => {
  const notMet = { met: false, unmet: ['monitoring_cadence'] };
  it('needs an override reason to record met against not-met automatic evidence, and keeps it with the finding', () => {
    const s = toVerification();
    const ev = { type: 'VERIFY_CRITERION', criterion: 'b', finding: 'met', note: 'n', autoEvidence: notMet };
    expect(refused(s, compliance, ev).message).toMatch(
      /automatic evidence of criterion b .* is not met \(monitoring_cadence .*needs an overrideReason/,
    );
    const ok = send(s, compliance, { ...ev, overrideReason: 'reports were filed on paper; archive ref P-7' });
    expect(ok.context.exemption?.findings.b).toMatchObject({
      finding: 'met',
      overrideReason: 'reports were filed on paper; archive ref P-7',
      autoEvidence: notMet,
    });
    expect(statePath(send(s, compliance, { ...ev, finding: 'not_met' }).value)).toBe('exemptionReview.verification');
    expect(refused(s, compliance, { ...ev, finding: 'not_met', overrideReason: 'x' }).message).toMatch(/leave it out of a not_met finding/);
  });
});

describe('point 8: referrals go to discipline inspection (纪检监察)', () => {
  it('opens a referral task for a not_exempt or partial decision, received only by a discipline officer, before the notice concludes', () => {
    let s = toDecision({ panel: false, findings: { b: 'not_met' } });
    s = send(s, chair, decideEv('partial', [{ userId: 'owner', responsibility: 'direct', reduction: 'lighter', reason: 'r' }]));
    expect(taskKeys(s)).toContain('discipline_officer:receive_referral:1');
    expect(refused(s, compliance, { type: 'RECEIVE_REFERRAL' }).message).toMatch(/needs the role discipline_officer/);
    expect(availableEvents(s, discipline, policies, at())).toEqual(['RAISE_OBJECTION', 'RECEIVE_REFERRAL']);
    advanceDays(6);
    expect(refused(s, compliance, { type: 'CONCLUDE_NOTICE' }).message).toMatch(/must be received \(RECEIVE_REFERRAL\)/);
    s = send(s, discipline, { type: 'RECEIVE_REFERRAL', note: 'case file 2026-07' });
    expect(taskKeys(s)).not.toContain('discipline_officer:receive_referral:1');
    expect(s.context.exemption?.decision?.referralReceipt).toMatchObject({ by: 'discipline', note: 'case file 2026-07' });
    expect(statePath(send(s, compliance, { type: 'CONCLUDE_NOTICE' }).value)).toBe('closed');
  });

  it('refers nobody on an exempt decision', () => {
    let s = toDecision({ panel: false });
    s = send(s, chair, decideEv('exempt'));
    expect(taskKeys(s).filter((k) => k.startsWith('discipline_officer'))).toEqual([]);
    expect(refused(s, discipline, { type: 'RECEIVE_REFERRAL' }).message).toMatch(/refers nobody/);
  });
});

describe('point 9: separation of duties at every stage', () => {
  it('refuses anyone holding a reviewing role as a team member, in any state', () => {
    const add = { type: 'ADD_TEAM_MEMBER', userId: 'newcomer', reason: 'help' };
    const as = (roles: Role[]) => ({ newcomer: roles });
    const draft = start();
    expect(refused(draft, owner, add, as(['compliance_officer'])).message).toMatch(
      /newcomer holds the role compliance_officer \(合规\), which reviews or decides a step of this case/,
    );
    expect(refused(draft, owner, add, as(['investment_manager', 'committee_member'])).code).toBe(DomainErrorCode.Forbidden);
    expect(refused(toCommittee(), owner, add, as(['committee_member'])).message).toMatch(/holds the role committee_member/);
    expect(send(draft, owner, add, as(['investment_manager'])).context.team).toEqual(['owner', 'newcomer']);
  });

  it('freezes the team once the committee vote opens: a change needs a reason and a department head’s approval', () => {
    let s = toCommittee();
    expect(s.context.teamFrozen).toBe(true);
    expect(refused(s, owner, { type: 'ADD_TEAM_MEMBER', userId: 'owner2' }).message).toMatch(/team froze when the committee vote opened/);
    s = send(s, owner, { type: 'ADD_TEAM_MEMBER', userId: 'owner2', reason: 'sector expert' });
    expect(s.context.team).toEqual(['owner']);
    expect(s.context.teamRequests).toMatchObject([{ userId: 'owner2', reason: 'sector expert', by: 'owner' }]);
    expect(taskKeys(s)).toContain('department_head:team_change:owner2');
    expect(refused(s, owner, { type: 'DECIDE_TEAM_CHANGE', userId: 'owner2', approved: true, note: 'n' }).code).toBe(
      DomainErrorCode.Forbidden,
    );
    s = send(s, head2, {
      type: 'DECIDE_TEAM_CHANGE',
      userId: owner2.id,
      approved: true,
      note: 'needed for monitoring',
    });
    expect(s.context.team).toEqual(['owner', 'owner2']);
    expect(s.context.teamRequests).toEqual([]);
    expect(refused(s, head2, { type: 'DECIDE_TEAM_CHANGE', userId: 'owner2', approved: true, note: 'n' }).message).toMatch(
      /no pending request/,
    );
    // Returned to due diligence: the team stays frozen.
    s = send(s, chair, { type: 'RETURN', reason: 'more DD' });
    expect(refused(s, owner, { type: 'ADD_TEAM_MEMBER', userId: 'x' }).message).toMatch(/team froze/);
  });

  it('keeps a verifier, flagger or decider from ruling on an objection to their own work', () => {
    let s = toDecision({ panel: false, findings: { b: 'not_met' } });
    s = send(s, compliance2, flag(['owner'], 'y'));
    s = send(s, chair, decideEv('not_exempt', [{ userId: 'owner', responsibility: 'direct' }]));
    s = send(s, head2, { type: 'RAISE_OBJECTION', text: 'disputed' });
    const rule = { type: 'RULE_ON_OBJECTION', objection: 0, upheld: false, note: 'n' };
    expect(refused(s, compliance, rule).message).toMatch(/own work \(the finding on b\)/);
    expect(refused(s, compliance2, rule).message).toMatch(/own work \(the negative-list flag on y\)/);
    expect(refused(s, { id: 'chair', roles: ['committee_chair', 'compliance_officer'] }, rule).message).toMatch(/the decision/);
    const other: Actor = { id: 'compliance3', roles: ['compliance_officer'] };
    expect(send(s, other, rule).context.exemption?.objections[0].ruling).toMatchObject({ by: 'compliance3' });
    // The panel's voters are kept off too.
    let p = toDecision();
    p = panelVote(p, PANEL_FREE, 'exempt');
    p = send(p, m(6), decideEv('exempt'));
    p = send(p, owner2, { type: 'RAISE_OBJECTION', text: 'disputed' });
    expect(refused(p, { id: 'head2', roles: ['department_head', 'compliance_officer'] }, rule).message).toMatch(/your panel vote/);
  });
});

describe('machine version 4 migration', () => {
  it('freezes the team of a running case whose vote has opened, and keeps an open review on the rules it opened under', () => {
    const v4 = persistSnapshot(toDecision({ panel: false, votes: ['approve', 'approve', 'abstain', 'approve', 'approve'] }));
    const { teamRequests: _r, teamFrozen: _f, exemption, ...rest } = JSON.parse(JSON.stringify(v4.context));
    const { rules: _rules, panel: _panel, ...v3Exemption } = exemption;
    const v3 = { ...v4, context: { ...rest, exemption: v3Exemption } };
    const migrated = migrateSnapshot(JSON.parse(JSON.stringify(v3)), 3);
    expect(migrated.context).toMatchObject({ teamRequests: [], teamFrozen: true, exemption: { rules: 3, panel: null } });
    expect(MACHINE_VERSION).toBe(7);
    const s = restoreSnapshot(v3, 3);
    expect(statePath(s.value)).toBe('exemptionReview.decision');
    // Rules 3: the chair decides alone, a flagged review may still be partial, and an abstention with reasons shields.
    const flagged = send(s, compliance, flag(['owner']));
    expect(statePath(send(flagged, chair, decideEv('partial')).value)).toBe('exemptionReview.publicNotice');
    expect(refused(s, chair, decideEv('not_exempt', [{ userId: 'm3', responsibility: 'direct' }])).message).toMatch(
      /an abstention with reasons/,
    );
    // A case before its committee vote is not frozen.
    const early = persistSnapshot(start());
    const { teamRequests: _a, teamFrozen: _b, ...earlyV3 } = JSON.parse(JSON.stringify(early.context));
    expect(migrateSnapshot({ ...early, context: earlyV3 }, 3).context.teamFrozen).toBe(false);
  });
});

void legal;
void risk;
