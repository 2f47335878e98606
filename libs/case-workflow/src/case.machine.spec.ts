import { policies } from './testing/case-fixture';
import { initialTransition, transition } from 'xstate';
import { caseMachine, MACHINE_VERSION } from './case.machine';
import { migrateSnapshot, persistSnapshot, restoreSnapshot, SnapshotMigrationError, statePath, type CaseSnapshot } from './case.snapshot';
import type { CaseEvent } from './case.types';
import type { DecisionInputs } from './case.permissions';
import { availableEvents, decide } from './case.workflow';
import { desiredTasks, type TaskInputs } from './case.tasks';
import { DomainErrorCode, DomainException } from './domain.exception';
import type { Actor, Role } from './roles';
import * as fixture from './testing/case-fixture';
import { DISTINCTION_CODES } from './due-process/three-distinctions';

const owner: Actor = { id: 'owner', roles: ['investment_manager'] };
const head: Actor = { id: 'head', roles: ['department_head'] };
const legal: Actor = { id: 'legal', roles: ['legal_officer'] };
const risk: Actor = { id: 'risk', roles: ['risk_officer'] };
const chair: Actor = { id: 'chair', roles: ['committee_chair'] };
const members: Actor[] = [1, 2, 3, 4, 5].map((i) => ({ id: `m${i}`, roles: ['committee_member'] }));
const compliance: Actor = { id: 'compliance', roles: ['compliance_officer'] };
const compliance3: Actor = { id: 'compliance3', roles: ['compliance_officer'] };
const discipline: Actor = { id: 'discipline', roles: ['discipline_officer'] };
const EVIDENCE = [{ title: 'Bank statement', ref: 'EV-1' }];
/** The people the service would load: everyone above. */
const inputs: DecisionInputs = {
  people: new Map(
    [owner, head, legal, risk, chair, ...members, compliance, compliance3, discipline].map((a) => [
      a.id,
      { username: a.id, roles: a.roles },
    ]),
  ),
  currentCriteria: [],
};

let clock = Date.parse('2026-06-01T00:00:00Z'); // after the signing and funding dates the tests record
const at = () => new Date((clock += 60_000)).toISOString();

function start(): CaseSnapshot {
  return initialTransition(caseMachine, { ownerId: owner.id, requestedAmountFen: 100 })[0];
}

function send(s: CaseSnapshot, actor: Actor, event: Record<string, unknown>): CaseSnapshot {
  return decide(s, { ...event, actor, at: at() } as unknown as CaseEvent, inputs).next;
}

function refused(s: CaseSnapshot, actor: Actor, event: Record<string, unknown>): DomainException {
  try {
    decide(s, { ...event, actor, at: at() } as unknown as CaseEvent, inputs);
  } catch (err) {
    if (err instanceof DomainException) return err;
    throw err;
  }
  throw new Error(`${String(event.type)} was accepted`);
}

function toCommittee(opinion = 'pass'): CaseSnapshot {
  let s = start();
  s = send(s, owner, { type: 'SUBMIT' });
  s = send(s, head, { type: 'APPROVE' });
  for (const w of ['business', 'financial', 'technical'])
    s = send(s, owner, { type: 'SUBMIT_DD_REPORT', workstream: w, conclusion: 'ok', findings: 'f' });
  s = send(s, legal, { type: 'SUBMIT_DD_REPORT', workstream: 'legal', conclusion: 'ok', findings: 'f' });
  expect(statePath(s.value)).toBe('riskReview');
  return send(s, risk, { type: 'RISK_OPINION', opinion, reason: 'r' });
}

function vote(s: CaseSnapshot, votes: string[]): CaseSnapshot {
  votes.forEach((v, i) => (s = send(s, members[i], { type: 'CAST_VOTE', vote: v, reason: 'r' })));
  return s;
}

describe('case machine', () => {
  it("decides exactly as XState's own pure transition() would, through a whole committee round", () => {
    let s = toCommittee();
    const steps: [Actor, Record<string, unknown>][] = [
      ...members.slice(0, 4).map((m): [Actor, Record<string, unknown>] => [m, { type: 'CAST_VOTE', vote: 'approve', reason: 'r' }]),
      [members[4], { type: 'CAST_VOTE', vote: 'reject', reason: 'dissent' }],
      [chair, { type: 'CLOSE_VOTING', rule: policies.committee }],
      [owner, { type: 'RECORD_SIGNING', signedAt: '2026-02-01T00:00:00.000Z' }],
    ];
    for (const [actor, e] of steps) {
      const event = { ...e, actor, at: at() } as unknown as CaseEvent;
      const ours = decide(s, event, inputs).next;
      const [theirs] = transition(caseMachine, s, event);
      expect(persistSnapshot(ours)).toEqual(persistSnapshot(theirs));
      s = ours;
    }
    expect(statePath(s.value)).toBe('execution');
  });

  it('moves from draft through the committee to monitoring and a profitable exit', () => {
    let s = vote(toCommittee(), ['approve', 'approve', 'approve', 'approve', 'reject']);
    s = send(s, chair, { type: 'CLOSE_VOTING', rule: policies.committee });
    expect(statePath(s.value)).toBe('execution');
    expect(s.context.committeeDecision).toMatchObject({ approved: true, ruleVersion: 'c1', round: 1 });
    s = send(s, owner, { type: 'RECORD_SIGNING', signedAt: '2026-02-01T00:00:00.000Z' });
    s = send(s, owner, { type: 'RECORD_FUNDING', amountFen: 100, fundedAt: '2026-02-02T00:00:00.000Z' });
    expect(statePath(s.value)).toBe('monitoring');
    s = send(s, owner, { type: 'START_EXIT', channel: 'ipo' });
    s = send(s, head, { type: 'CONFIRM_EXIT_AMOUNT', proceedsFen: 150, sourceDocument: 'share transfer receipt 3' });
    s = send(s, owner, { type: 'COMPLETE_EXIT', proceedsFen: 150, exitedAt: '2026-05-01T00:00:00.000Z', review: policies.review });
    expect(statePath(s.value)).toBe('closed');
    // Machine version 5: `closed` still accepts an appeal or a reopening (lifetime accountability), so the
    // machine keeps running; without an exemption record neither can be taken.
    expect(s.status).toBe('active');
    expect(s.context.exemption).toBeNull();
    expect(
      s.can({
        type: 'REOPEN_REVIEW',
        ground: 'new_evidence',
        reasons: 'r',
        evidence: [{ title: 't', ref: 'r' }],
        dueProcess: policies.review.dueProcess!,
        actor: owner,
        at: '2026-05-02T00:00:00.000Z',
      }),
    ).toBe(false);
  });

  const exitTaskInputs: TaskInputs = { committeeMembers: [], criterionQueue: () => 'compliance_officer', monitoringCadenceDays: 92 };

  it('puts four eyes on the exit proceeds: a department head confirms them from the source document, the owner must enter the same figure', () => {
    let s = vote(toCommittee(), ['approve', 'approve', 'approve', 'approve', 'approve']);
    s = send(s, chair, { type: 'CLOSE_VOTING', rule: policies.committee });
    s = send(s, owner, { type: 'RECORD_SIGNING', signedAt: '2026-02-01T00:00:00.000Z' });
    s = send(s, owner, { type: 'RECORD_FUNDING', amountFen: 100, fundedAt: '2026-02-02T00:00:00.000Z' });
    s = send(s, owner, { type: 'START_EXIT', channel: 'transfer' });
    const exit = { type: 'COMPLETE_EXIT', exitedAt: '2026-05-01T00:00:00.000Z', review: policies.review };
    expect(refused(s, owner, { ...exit, proceedsFen: 99 }).message).toMatch(/must first be confirmed by a department head/);
    // The owner cannot confirm their own figure.
    expect(refused(s, owner, { type: 'CONFIRM_EXIT_AMOUNT', proceedsFen: 99, sourceDocument: 'x' }).message).toMatch(/department_head/);
    expect(refused(s, head, { type: 'CONFIRM_EXIT_AMOUNT', proceedsFen: 99, sourceDocument: '  ' }).message).toMatch(/source document/);
    expect(desiredTasks(s, exitTaskInputs).map((t) => `${t.kind}:${t.queue}`)).toEqual([
      'confirm_exit_amount:department_head',
      'complete_exit:investment_manager',
    ]);
    s = send(s, head, { type: 'CONFIRM_EXIT_AMOUNT', proceedsFen: 60, sourceDocument: 'transfer agreement 12' });
    expect(desiredTasks(s, exitTaskInputs).map((t) => t.kind)).toEqual(['complete_exit']);
    // A figure that differs from the confirmed one is refused, naming both and the document.
    expect(refused(s, owner, { ...exit, proceedsFen: 99 }).message).toMatch(
      /\(99 fen\) differ from the 60 fen .* from transfer agreement 12/,
    );
    s = send(s, owner, { ...exit, proceedsFen: 60 });
    expect(statePath(s.value)).toBe('exemptionReview.application');
    expect(s.context.exit).toMatchObject({
      proceedsFen: 60,
      confirmation: { by: 'head', proceedsFen: 60, sourceDocument: 'transfer agreement 12' },
    });
    // A v5 snapshot with an exit migrates with the confirmation marked as not recorded.
    const v5 = persistSnapshot(s);
    const { confirmation: _c, ...v5exit } = v5.context.exit!;
    expect(migrateSnapshot({ ...v5, context: { ...v5.context, exit: v5exit } }, 5).context.exit).toMatchObject({ confirmation: null });
  });

  it('enters the exemption review on a loss and freezes the criteria of the time', () => {
    let s = vote(toCommittee(), ['approve', 'approve', 'approve', 'approve', 'approve']);
    s = send(s, chair, { type: 'CLOSE_VOTING', rule: policies.committee });
    s = send(s, owner, { type: 'RECORD_SIGNING', signedAt: '2026-02-01T00:00:00.000Z' });
    s = send(s, owner, { type: 'RECORD_FUNDING', amountFen: 100, fundedAt: '2026-02-02T00:00:00.000Z' });
    s = send(s, owner, { type: 'START_EXIT', channel: 'transfer' });
    s = send(s, head, { type: 'CONFIRM_EXIT_AMOUNT', proceedsFen: 99, sourceDocument: 'transfer agreement 12' });
    s = send(s, owner, { type: 'COMPLETE_EXIT', proceedsFen: 99, exitedAt: '2026-05-01T00:00:00.000Z', review: policies.review });
    expect(statePath(s.value)).toBe('exemptionReview.application');
    expect(s.context.exemption).toMatchObject({ trigger: 'loss_exit', criteriaVersion: 'cr1', criteria: ['a', 'b'] });
    expect(s.context.exemption?.criteriaDefinitions?.map((d) => d.titleZh)).toEqual(['甲', '乙']);
    expect(s.context.exemption?.monitoringPolicy?.version).toBe('m1');
    // Frozen by value: changing the policy object afterwards leaves the review as it was.
    policies.review.criteriaDefinitions![0].titleZh = 'changed';
    expect(s.context.exemption?.criteriaDefinitions?.[0].titleZh).toBe('甲');
    policies.review.criteriaDefinitions![0].titleZh = '甲';
  });

  it('refuses to close voting below quorum, naming the rule', () => {
    const s = vote(toCommittee(), ['approve', 'approve']);
    const err = refused(s, chair, { type: 'CLOSE_VOTING', rule: policies.committee });
    expect(err.code).toBe(DomainErrorCode.RuleViolated);
    expect(err.message).toMatch(/2 of the 5 votes/);
  });

  it('counts abstentions as cast: 3 approvals of 5 is below two thirds and rejects', () => {
    let s = vote(toCommittee(), ['approve', 'approve', 'approve', 'abstain', 'abstain']);
    s = send(s, chair, { type: 'CLOSE_VOTING', rule: policies.committee });
    expect(statePath(s.value)).toBe('rejected');
  });

  it('needs the chair’s override reason to approve after a risk fail', () => {
    const s = vote(toCommittee('fail'), ['approve', 'approve', 'approve', 'approve', 'approve']);
    expect(refused(s, chair, { type: 'CLOSE_VOTING', rule: policies.committee }).message).toMatch(/overrideReason/);
    const approved = send(s, chair, {
      type: 'CLOSE_VOTING',
      rule: policies.committee,
      overrideReason: 'Strategic technology, risk accepted',
    });
    expect(approved.context.committeeDecision?.overrideReason).toBe('Strategic technology, risk accepted');
  });

  it('lets a member vote once per round, and again in a new round', () => {
    let s = vote(toCommittee(), ['approve']);
    expect(refused(s, members[0], { type: 'CAST_VOTE', vote: 'reject', reason: 'again' }).message).toMatch(/once per round/);
    s = send(s, chair, { type: 'RETURN', reason: 'More DD', workstreams: ['technical'] });
    expect(statePath(s.value)).toBe('dueDiligence');
    s = send(s, owner, { type: 'SUBMIT_DD_REPORT', workstream: 'technical', conclusion: 'ok', findings: 'f' });
    s = send(s, risk, { type: 'RISK_OPINION', opinion: 'pass', reason: 'r' });
    expect(s.context.round).toBe(2);
    s = send(s, members[0], { type: 'CAST_VOTE', vote: 'reject', reason: 'second round' });
    expect(s.context.votes).toHaveLength(1);
  });

  it('enforces separation of duties: a team member may not vote, approve or verify', () => {
    let s = start();
    // The owner holds a reviewing role too (nobody holding one can be added to a team).
    s = send(s, owner, { type: 'SUBMIT' });
    const ownerHead: Actor = { id: 'owner', roles: ['investment_manager', 'department_head'] };
    expect(refused(s, ownerHead, { type: 'APPROVE' }).code).toBe(DomainErrorCode.Forbidden);
    s = send(s, head, { type: 'APPROVE' });
    expect(refused(s, owner, { type: 'ADD_TEAM_MEMBER', userId: 'head' }).message).toMatch(/head holds the role department_head/);
  });

  it('answers 422 for an event the state does not accept, and 403 for the wrong role', () => {
    const s = start();
    const err = refused(s, owner, { type: 'APPROVE' });
    expect(err.code).toBe(DomainErrorCode.EventNotAllowed);
    expect(err.message).toMatch(/not allowed while the case is in draft/);
    expect(refused(s, head, { type: 'SUBMIT' }).code).toBe(DomainErrorCode.Forbidden);
  });

  it('checks the people an event names: they must exist, and no reviewer joins a team under exemption review', () => {
    const s = start();
    const nobody = refused(s, owner, { type: 'ADD_TEAM_MEMBER', userId: 'ghost' });
    expect(nobody).toMatchObject({ code: DomainErrorCode.RuleViolated, message: 'No active user with id ghost exists.' });
    // Nobody holding a reviewing role joins a team, before a review or during it (machine version 4).
    expect(refused(s, owner, { type: 'ADD_TEAM_MEMBER', userId: 'compliance' }).code).toBe(DomainErrorCode.Forbidden);
    const review = toVerification();
    const joining = refused(review, owner, { type: 'ADD_TEAM_MEMBER', userId: 'compliance', reason: 'r' });
    expect(joining.code).toBe(DomainErrorCode.Forbidden);
    expect(joining.message).toMatch(/compliance holds the role compliance_officer .* may join a case team at any stage/);
  });

  it('takes the verifier roles of a review that froze none from the criteria in force', () => {
    const s = toVerification();
    const old = { ...s, context: { ...s.context, exemption: { ...s.context.exemption!, criteriaDefinitions: null } } } as CaseSnapshot;
    const legalOnly = { ...policies.review.criteriaDefinitions![0], verifierRoles: ['legal_officer'] };
    const event = { type: 'VERIFY_CRITERION', criterion: 'a', finding: 'met', note: 'n', actor: compliance, at: at() } as const;
    expect(() => decide(old, event, { ...inputs, currentCriteria: [legalOnly] })).toThrow(
      /Criterion a \(甲\) is verified by legal_officer/,
    );
  });

  it('names only events a client can send in a 422, never the automatic transition', () => {
    let s = send(start(), owner, { type: 'SUBMIT' });
    s = send(s, head, { type: 'APPROVE' });
    expect(statePath(s.value)).toBe('dueDiligence'); // leaves on its own once all four reports are in
    expect(refused(s, owner, { type: 'SUBMIT' }).message).toMatch(
      /events accepted here: ADD_TEAM_MEMBER, DECIDE_TEAM_CHANGE, SUBMIT_DD_REPORT\.$/,
    );
  });

  it('computes the events each person could send now', () => {
    let s = start();
    expect(availableEvents(s, owner, policies, at())).toEqual(['SUBMIT', 'ADD_TEAM_MEMBER']);
    expect(availableEvents(s, head, policies, at())).toEqual([]);
    s = send(s, owner, { type: 'SUBMIT' });
    expect(availableEvents(s, head, policies, at())).toEqual(['APPROVE', 'RETURN', 'REJECT']);
    s = vote(toCommittee(), ['approve']);
    expect(availableEvents(s, members[0], policies, at())).toEqual([]);
    expect(availableEvents(s, members[1], policies, at())).toEqual(['CAST_VOTE']);
    expect(availableEvents(s, chair, policies, at())).toEqual(['RETURN', 'CAST_VOTE']);
  });

  it('runs the exemption review: verification, decision, notice and its period', () => {
    let s = vote(toCommittee(), ['approve', 'approve', 'approve', 'approve', 'approve']);
    s = send(s, chair, { type: 'CLOSE_VOTING', rule: policies.committee });
    s = send(s, owner, { type: 'RECORD_SIGNING', signedAt: '2026-02-01T00:00:00.000Z' });
    s = send(s, owner, { type: 'RECORD_FUNDING', amountFen: 100, fundedAt: '2026-02-02T00:00:00.000Z' });
    s = send(s, head, { type: 'WRITE_OFF', reason: 'Bankrupt', review: policies.review });
    expect(s.context.exit).toMatchObject({ proceedsFen: 0, writeOff: true });
    s = send(s, owner, {
      type: 'FILE_EXEMPTION',
      lossCause: 'technology',
      statement: 's',
      evidence: [],
      declarations: { noPersonalGain: true, relatedPartiesDisclosed: true, informationComplete: true },
    });
    s = send(s, compliance, { type: 'VERIFY_CRITERION', criterion: 'a', finding: 'met', note: 'n' });
    s = send(s, compliance, { type: 'FLAG_NEGATIVE_LIST', item: 'x', note: 'n', persons: ['owner'], evidence: EVIDENCE });
    expect(refused(s, compliance, { type: 'VERIFY_CRITERION', criterion: 'zzz', finding: 'met', note: 'n' }).message).toMatch(
      /Unknown criterion/,
    );
    s = send(s, compliance, { type: 'VERIFY_CRITERION', criterion: 'b', finding: 'met', note: 'n' });
    expect(statePath(s.value)).toBe('exemptionReview.decision');
    expect(refused(s, chair, { type: 'DECIDE_EXEMPTION', outcome: 'exempt', reasons: 'r', noticePeriodDays: 5 }).message).toMatch(
      /negative-list item x \(谋取私利 \/ Personal gain\)/i,
    );
    const tolerance = {
      policyVersion: 't1',
      limitRate: 0.5,
      perProjectCeiling: 1,
      investedFen: 100,
      realizedLossFen: 100,
      lossRate: 1,
      withinTolerance: false,
    };
    s = send(s, chair, {
      type: 'DECIDE_EXEMPTION',
      outcome: 'not_exempt',
      reasons: 'r',
      accountability: [{ userId: 'owner', responsibility: 'direct' }],
      noticePeriodDays: 5,
      noticePolicyVersion: 'nt1',
      tolerance,
    });
    expect(statePath(s.value)).toBe('exemptionReview.publicNotice');
    expect(s.context.exemption?.decision).toMatchObject({
      outcome: 'not_exempt',
      noticePeriodDays: 5,
      noticePolicyVersion: 'nt1',
      tolerance,
    });
    expect(refused(s, compliance, { type: 'CONCLUDE_NOTICE' }).message).toMatch(/notice period runs until/);
    clock += 6 * 24 * 3600_000;
    expect(refused(s, compliance, { type: 'CONCLUDE_NOTICE' }).message).toMatch(/referral to discipline inspection .* must be received/);
    s = send(s, discipline, { type: 'RECEIVE_REFERRAL', note: 'file opened' });
    s = send(s, compliance, { type: 'CONCLUDE_NOTICE', note: 'no objection' });
    expect(statePath(s.value)).toBe('closed');
    expect(s.context.exemption?.conclusion).toMatchObject({ by: 'compliance', note: 'no objection' });
  });

  it('keeps verifiers independent: no DD author, voter or other participant verifies, and the frozen verifier roles apply', () => {
    const s = toVerification();
    // `legal` wrote the legal DD report; m1 voted: their own work is under review.
    expect(refused(s, legal, { type: 'VERIFY_CRITERION', criterion: 'a', finding: 'met', note: 'n' }).message).toMatch(
      /took part in the investment decision/,
    );
    expect(
      refused(s, { id: 'm1', roles: ['committee_member', 'compliance_officer'] }, { type: 'FLAG_NEGATIVE_LIST', item: 'x', note: 'n' })
        .code,
    ).toBe(DomainErrorCode.Forbidden);
    const legal2: Actor = { id: 'legal2', roles: ['legal_officer'] };
    expect(refused(s, legal2, { type: 'VERIFY_CRITERION', criterion: 'b', finding: 'met', note: 'n' }).message).toMatch(
      /Criterion b \(乙\) is verified by compliance_officer/,
    );
    expect(availableEvents(s, legal2, policies, at())).toEqual(['VERIFY_CRITERION', 'FLAG_NEGATIVE_LIST']);
    const afterA = send(s, legal2, { type: 'VERIFY_CRITERION', criterion: 'a', finding: 'met', note: 'n' });
    expect(statePath(afterA.value)).toBe('exemptionReview.verification');
    // Only b is unverified: a finding stands for the round (nobody replaces a's, not even legal2), the
    // compliance officer may verify b, the DD author nothing.
    expect(availableEvents(afterA, legal2, policies, at())).toEqual(['FLAG_NEGATIVE_LIST']);
    expect(refused(afterA, compliance, { type: 'VERIFY_CRITERION', criterion: 'a', finding: 'not_met', note: 'n' }).message).toMatch(
      /already has a finding \(met, recorded/,
    );
    expect(availableEvents(afterA, compliance, policies, at())).toEqual(['VERIFY_CRITERION', 'FLAG_NEGATIVE_LIST']);
    expect(availableEvents(afterA, legal, policies, at())).toEqual([]);
  });

  it('refuses business dates in the future, and refers no member who voted against (Art. 36(4))', () => {
    let s = vote(toCommittee(), ['approve', 'approve', 'approve', 'approve', 'reject']);
    s = send(s, chair, { type: 'CLOSE_VOTING', rule: policies.committee });
    expect(refused(s, owner, { type: 'RECORD_SIGNING', signedAt: '2099-01-01T00:00:00.000Z' }).message).toMatch(
      /signedAt is in the future/,
    );
    s = send(s, owner, { type: 'RECORD_SIGNING', signedAt: '2026-02-01T00:00:00.000Z' });
    expect(refused(s, owner, { type: 'RECORD_FUNDING', amountFen: 100, fundedAt: '2099-01-02T00:00:00.000Z' }).message).toMatch(
      /fundedAt is in the future/,
    );
    s = send(s, owner, { type: 'RECORD_FUNDING', amountFen: 100, fundedAt: '2026-02-02T00:00:00.000Z' });
    s = send(s, head, { type: 'WRITE_OFF', reason: 'Bankrupt', review: policies.review });
    s = send(s, owner, {
      type: 'FILE_EXEMPTION',
      lossCause: 'market',
      statement: 's',
      evidence: [],
      declarations: { noPersonalGain: true, relatedPartiesDisclosed: true, informationComplete: true },
    });
    s = send(s, compliance, { type: 'VERIFY_CRITERION', criterion: 'a', finding: 'met', note: 'n' });
    s = send(s, compliance, { type: 'VERIFY_CRITERION', criterion: 'b', finding: 'not_met', note: 'n' });
    const decide = (userId: string) => ({
      type: 'DECIDE_EXEMPTION',
      outcome: 'not_exempt',
      reasons: 'r',
      noticePeriodDays: 5,
      accountability: [{ userId, responsibility: 'supervisory' }],
    });
    expect(refused(s, chair, decide(members[4].id)).message).toMatch(
      /recorded opposition or a reservation .* shielded from responsibility for that collective decision \(Order No\. 46 Art\. 36\(4\)\)/,
    );
    expect(statePath(send(s, chair, decide(members[0].id)).value)).toBe('exemptionReview.publicNotice');
  });

  it('refuses a full exemption after a late negative-list flag, or while a team declaration is withheld', () => {
    let s = toVerification();
    s = send(s, compliance, { type: 'VERIFY_CRITERION', criterion: 'a', finding: 'met', note: 'n' });
    s = send(s, compliance, { type: 'VERIFY_CRITERION', criterion: 'b', finding: 'met', note: 'n' });
    expect(statePath(s.value)).toBe('exemptionReview.decision');
    const exempt = { type: 'DECIDE_EXEMPTION', outcome: 'exempt', reasons: 'r', noticePeriodDays: 5 };
    const flagged = send(s, compliance, {
      type: 'FLAG_NEGATIVE_LIST',
      item: 'x',
      note: 'found after the findings',
      persons: ['owner'],
      evidence: EVIDENCE,
    });
    expect(statePath(flagged.value)).toBe('exemptionReview.decision');
    expect(refused(flagged, chair, exempt).message).toMatch(/negative-list item x \(谋取私利/i);

    let w = vote(toCommittee(), ['approve', 'approve', 'approve', 'approve', 'approve']);
    w = send(w, chair, { type: 'CLOSE_VOTING', rule: policies.committee });
    w = send(w, owner, { type: 'RECORD_SIGNING', signedAt: '2026-02-01T00:00:00.000Z' });
    w = send(w, owner, { type: 'RECORD_FUNDING', amountFen: 100, fundedAt: '2026-02-02T00:00:00.000Z' });
    w = send(w, head, { type: 'WRITE_OFF', reason: 'Bankrupt', review: policies.review });
    w = send(w, owner, {
      type: 'FILE_EXEMPTION',
      lossCause: 'market',
      statement: 's',
      evidence: [],
      declarations: { noPersonalGain: true, relatedPartiesDisclosed: false, informationComplete: true },
    });
    w = send(w, compliance, { type: 'VERIFY_CRITERION', criterion: 'a', finding: 'met', note: 'n' });
    w = send(w, compliance, { type: 'VERIFY_CRITERION', criterion: 'b', finding: 'met', note: 'n' });
    expect(refused(w, chair, exempt).message).toMatch(/has not declared relatedPartiesDisclosed/);
    const partial = {
      ...exempt,
      outcome: 'partial',
      accountability: [{ userId: 'owner', responsibility: 'direct', reduction: 'lighter', reason: 'loss mitigated' }],
    };
    expect(statePath(send(w, chair, partial).value)).toBe('exemptionReview.publicNotice');
  });

  it('returns to verification on an upheld objection, keeping the earlier round; the objector may not rule on it', () => {
    let s = toVerification();
    s = send(s, compliance, { type: 'VERIFY_CRITERION', criterion: 'a', finding: 'met', note: 'n' });
    s = send(s, compliance, { type: 'VERIFY_CRITERION', criterion: 'b', finding: 'not_met', note: 'late reports' });
    expect(refused(s, chair, { type: 'DECIDE_EXEMPTION', outcome: 'exempt', reasons: 'r', noticePeriodDays: 5 }).message).toMatch(
      /criterion b \(乙 \/ B\) is not met/,
    );
    expect(
      refused(s, chair, {
        type: 'DECIDE_EXEMPTION',
        outcome: 'not_exempt',
        reasons: 'r',
        noticePeriodDays: 5,
        accountability: [
          { userId: 'owner', responsibility: 'direct' },
          { userId: 'owner', responsibility: 'leadership' },
        ],
      }).message,
    ).toMatch(/named twice/);
    s = send(s, chair, {
      type: 'DECIDE_EXEMPTION',
      outcome: 'not_exempt',
      reasons: 'r',
      noticePeriodDays: 5,
      accountability: [{ userId: 'owner', responsibility: 'direct' }],
    });
    const objector: Actor = { id: 'compliance2', roles: ['compliance_officer'] };
    s = send(s, objector, { type: 'RAISE_OBJECTION', text: 'the reports were filed on paper' });
    expect(refused(s, owner, { type: 'RAISE_OBJECTION', text: 'mine' }).code).toBe(DomainErrorCode.Forbidden);
    expect(refused(s, objector, { type: 'RULE_ON_OBJECTION', objection: 0, upheld: true, note: 'n' }).message).toMatch(
      /raised this objection/,
    );
    expect(refused(s, compliance, { type: 'CONCLUDE_NOTICE' }).message).toMatch(/notice period runs until|must be ruled on/);
    // The verifier whose findings the decision rests on may not rule on the objection to it.
    expect(refused(s, compliance, { type: 'RULE_ON_OBJECTION', objection: 0, upheld: true, note: 'n' }).message).toMatch(
      /nobody rules on an objection to their own finding or decision/,
    );
    s = send(s, compliance3, { type: 'RULE_ON_OBJECTION', objection: 0, upheld: true, note: 'paper reports found' });
    expect(statePath(s.value)).toBe('exemptionReview.verification');
    const ex = s.context.exemption!;
    expect(ex.findings).toEqual({});
    expect(ex.previousFindings[0].b).toMatchObject({ finding: 'not_met', note: 'late reports' });
    expect(ex.previousDecisions[0]).toMatchObject({
      outcome: 'not_exempt',
      accountability: [{ userId: 'owner', responsibility: 'direct' }],
    });
    expect(ex.objections[0].ruling).toMatchObject({ upheld: true, by: 'compliance3' });
  });
});

/** A written-off case whose exemption application is filed: the review in verification. */
function toVerification(): CaseSnapshot {
  let s = vote(toCommittee(), ['approve', 'approve', 'approve', 'approve', 'approve']);
  s = send(s, chair, { type: 'CLOSE_VOTING', rule: policies.committee });
  s = send(s, owner, { type: 'RECORD_SIGNING', signedAt: '2026-02-01T00:00:00.000Z' });
  s = send(s, owner, { type: 'RECORD_FUNDING', amountFen: 100, fundedAt: '2026-02-02T00:00:00.000Z' });
  s = send(s, head, { type: 'WRITE_OFF', reason: 'Bankrupt', review: policies.review });
  return send(s, owner, {
    type: 'FILE_EXEMPTION',
    lossCause: 'market',
    statement: 's',
    evidence: [],
    declarations: { noPersonalGain: true, relatedPartiesDisclosed: true, informationComplete: true },
  });
}

describe('snapshot persistence and migration', () => {
  it('round-trips a persisted snapshot', () => {
    const s = toCommittee();
    const restored = restoreSnapshot(JSON.parse(JSON.stringify(persistSnapshot(s))), MACHINE_VERSION);
    expect(statePath(restored.value)).toBe('committee');
    expect(restored.context).toEqual(s.context);
  });

  it('migrates a version 1 snapshot (no reviewers list) by deriving its reviewers', () => {
    const s = vote(toCommittee(), ['approve', 'reject']);
    const { reviewers: _dropped, ...v1Context } = persistSnapshot(s).context;
    const v1 = { ...persistSnapshot(s), context: v1Context };
    const migrated = migrateSnapshot(JSON.parse(JSON.stringify(v1)), 1);
    expect(new Set(migrated.context.reviewers)).toEqual(new Set(['head', 'risk', 'm1', 'm2']));
    const restored = restoreSnapshot(v1, 1);
    expect(statePath(restored.value)).toBe('committee');
    // The migrated snapshot keeps working: the separation-of-duties rule sees the derived reviewers.
    expect(refused(restored, owner, { type: 'ADD_TEAM_MEMBER', userId: 'm2', reason: 'r' }).message).toMatch(
      /m2 holds the role committee_member/,
    );
    // The separation-of-duties rule sees the derived reviewers (m2's roles aside).
    const { reviewers } = restored.context;
    expect(reviewers).toContain('m2');
  });

  it('migrates a version 2 review: definitions, policies and tolerance are marked not frozen, never taken from today’s config', () => {
    let s = toVerification();
    const persisted = JSON.parse(JSON.stringify(persistSnapshot(s)));
    const {
      criteriaDefinitions: _c,
      negativeListDefinitions: _n,
      monitoringPolicy: _m,
      previousFindings: _p,
      conclusion: _k,
      ...v2Exemption
    } = persisted.context.exemption;
    const v2 = { ...persisted, context: { ...persisted.context, exemption: v2Exemption } };
    const migrated = migrateSnapshot(JSON.parse(JSON.stringify(v2)), 2);
    expect(migrated.context.exemption).toMatchObject({
      criteriaVersion: 'cr1',
      criteria: ['a', 'b'],
      criteriaDefinitions: null,
      negativeListDefinitions: null,
      monitoringPolicy: null,
      previousFindings: [],
      conclusion: null,
    });
    s = restoreSnapshot(v2, 2);
    expect(statePath(s.value)).toBe('exemptionReview.verification');
    // Still workable after migration: a finding is recorded and the review moves on.
    s = send(s, compliance, { type: 'VERIFY_CRITERION', criterion: 'a', finding: 'met', note: 'n' });
    s = send(s, compliance, { type: 'VERIFY_CRITERION', criterion: 'b', finding: 'met', note: 'n' });
    expect(statePath(s.value)).toBe('exemptionReview.decision');
    // A v1 snapshot goes through both steps.
    expect(
      migrateSnapshot({ ...v2, context: { ...v2.context, reviewers: undefined } }, 1).context.exemption?.criteriaDefinitions,
    ).toBeNull();
  });

  it('migrates a version 2 decision with its notice fields and tolerance marked unknown', () => {
    const decision = {
      by: 'chair',
      at: '2026-03-01T00:00:00.000Z',
      outcome: 'partial',
      reasons: 'r',
      accountability: [],
      noticeEndsAt: '2026-03-06T00:00:00.000Z',
    };
    const v2 = {
      value: { exemptionReview: 'publicNotice' },
      status: 'active',
      context: {
        ...toVerification().context,
        exemption: {
          trigger: 'write_off',
          criteriaVersion: 'cr1',
          criteria: ['a'],
          negativeListVersion: 'n1',
          negativeListItems: ['x'],
          application: null,
          findings: {},
          flags: [],
          decision,
          objections: [],
          previousDecisions: [decision],
        },
      },
    };
    const ex = migrateSnapshot(v2, 2).context.exemption!;
    expect(ex.decision).toEqual({ ...decision, noticePeriodDays: null, noticePolicyVersion: null, tolerance: null });
    expect(ex.previousFindings).toEqual([{}]);
  });

  it('refuses a snapshot from a newer machine version', () => {
    expect(() => migrateSnapshot({}, MACHINE_VERSION + 1)).toThrow(SnapshotMigrationError);
  });
});

describe('machine version 5: due process around the exemption decision', () => {
  const DP = {
    version: 'dp1',
    hearing: { periodDays: 5 },
    appeal: { periodDays: 10, body: '复核小组', roles: ['department_head'], minMembers: 2 },
  };
  const f = fixture;
  const legal3: Actor = { id: 'legal3', roles: ['legal_officer'] };
  const head5: Actor = { id: 'head5', roles: ['department_head'] };
  const head6: Actor = { id: 'head6', roles: ['department_head'] };
  const head7: Actor = { id: 'head7', roles: ['department_head'] };
  const people = { head5: ['department_head'], head6: ['department_head'], head7: ['department_head'], m6: ['committee_member'] } as Record<
    string,
    Role[]
  >;
  const ENDS = '2026-12-31T15:59:59.999Z';
  const refer = [{ userId: 'owner', responsibility: 'direct' }];
  const distinctions = (s: CaseSnapshot, culpable?: string) => {
    for (const distinction of DISTINCTION_CODES) {
      s = f.send(s, f.compliance2, {
        type: 'RECORD_DISTINCTION',
        distinction,
        side: distinction === culpable ? 'culpable' : 'tolerable',
        reasons: 'r',
        evidence: f.EVIDENCE,
      });
    }
    return s;
  };
  const panelVotes = (s: CaseSnapshot, outcome: string) => {
    for (const m of [f.members[5], f.members[6], f.head2]) s = f.send(s, m, { type: 'CAST_PANEL_VOTE', outcome, reasons: 'r' });
    return s;
  };
  const decideEvent = (outcome: string, accountability?: unknown) => ({
    type: 'DECIDE_EXEMPTION',
    outcome,
    reasons: 'r',
    ...(accountability ? { accountability } : {}),
    noticePeriodDays: 0,
  });
  const propose = {
    type: 'PROPOSE_ACCOUNTABILITY',
    outcome: 'not_exempt',
    accountability: refer,
    reasons: 'r',
    periodDays: 5,
    endsAt: ENDS,
    calendarVersion: 'cn-2026.1',
  };
  const legality = (conclusion: string) => ({
    type: 'LEGALITY_REVIEW',
    lawfulBasis: 'b',
    procedure: 'p',
    proportionality: 'q',
    conclusion,
  });

  /** A not_exempt decision referring the owner, taken with due process, concluded: closed. */
  function closedNotExempt(): CaseSnapshot {
    let s = panelVotes(distinctions(f.toDecision({ dueProcess: DP })), 'not_exempt');
    s = f.send(s, f.members[5], propose);
    s = f.send(s, f.owner, { type: 'SUBMIT_STATEMENT', statement: 's', evidence: [] });
    s = f.send(s, legal3, legality('favourable'));
    s = f.send(s, f.members[5], decideEvent('not_exempt', refer));
    s = f.send(s, f.discipline, { type: 'RECEIVE_REFERRAL' });
    s = f.send(s, f.compliance2, { type: 'CONCLUDE_NOTICE', appealPeriodDays: 10, appealEndsAt: ENDS, calendarVersion: 'cn-2026.1' });
    expect(statePath(s.value)).toBe('closed');
    return s;
  }

  it('opens the review under rules 7 with the due-process policy frozen; the distinctions bind the outcome', () => {
    let s = f.toDecision({ dueProcess: DP });
    expect(s.context.exemption).toMatchObject({ rules: 7, dueProcess: DP, distinctions: {}, hearings: [], appealRounds: [] });
    s = panelVotes(s, 'exempt');
    expect(f.refused(s, f.members[5], decideEvent('exempt')).message).toMatch(/three distinctions .* each need a finding/);
    s = distinctions(s, 'trial_vs_prohibition');
    expect(f.refused(s, f.members[5], decideEvent('exempt')).message).toMatch(/^exempt is excluded: .*trial_vs_prohibition/);
  });

  it('an exempt decision needs no hearing or legality review', () => {
    const s = f.send(panelVotes(distinctions(f.toDecision({ dueProcess: DP })), 'exempt'), f.members[5], decideEvent('exempt'));
    expect(statePath(s.value)).toBe('exemptionReview.publicNotice');
  });

  it('a referring decision waits for the hearing and a favourable legality review by an independent legal officer', () => {
    let s = panelVotes(distinctions(f.toDecision({ dueProcess: DP })), 'not_exempt');
    expect(f.refused(s, f.members[5], decideEvent('not_exempt', refer)).message).toMatch(/must be heard first/);
    expect(f.refused(s, f.members[0], propose).code).toBe(DomainErrorCode.Forbidden); // voted on the investment
    s = f.send(s, f.members[5], propose);
    expect(s.context.exemption!.hearings![0]).toMatchObject({ round: 1, endsAt: ENDS, persons: refer });
    expect(f.refused(s, f.owner2, { type: 'SUBMIT_STATEMENT', statement: 's', evidence: [] }).code).toBe(DomainErrorCode.Forbidden);
    expect(f.refused(s, f.members[5], decideEvent('not_exempt', refer)).message).toMatch(/The hearing runs until .*owner has not answered/);
    s = f.send(s, f.owner, { type: 'SUBMIT_STATEMENT', statement: 'my account', evidence: f.EVIDENCE });
    expect(f.refused(s, f.members[5], decideEvent('not_exempt', refer)).message).toMatch(/needs a favourable legality review/);
    expect(f.refused(s, f.legal, legality('favourable')).message).toMatch(/took part in the investment decision/);
    expect(f.refused(s, f.legal2, legality('favourable')).message).toMatch(/verified, flagged or decides in this review/);
    s = f.send(s, legal3, legality('unfavourable'));
    expect(f.refused(s, f.members[5], decideEvent('not_exempt', refer)).message).toMatch(/was unfavourable/);
    s = f.send(s, legal3, legality('favourable'));
    s = f.send(s, f.members[5], decideEvent('not_exempt', refer));
    expect(statePath(s.value)).toBe('exemptionReview.publicNotice');
  });

  it('closed accepts an appeal by a referred person within the period; a body none of whose members sat rules on it', () => {
    let s = closedNotExempt();
    expect(s.status).toBe('active');
    // Still running for an appeal or a reopening, but the team of a closed case no longer changes.
    expect(f.refused(s, f.owner, { type: 'ADD_TEAM_MEMBER', userId: 'owner2', reason: 'r' }).message).toMatch(
      /closed \(结案\): its team no longer changes/,
    );
    expect(s.context.exemption!.conclusion).toMatchObject({ appealEndsAt: ENDS, appealPeriodDays: 10 });
    expect(f.refused(s, f.owner2, { type: 'FILE_APPEAL', grounds: 'g', evidence: [] }).code).toBe(DomainErrorCode.Forbidden);
    s = f.send(s, f.owner, { type: 'FILE_APPEAL', grounds: 'g', evidence: [] });
    expect(statePath(s.value)).toBe('exemptionReview.appeal');
    const ruling = (members: string[], result = 'upheld', extra = {}) => ({
      type: 'RULE_ON_APPEAL',
      result,
      reasons: 'r',
      members,
      ...extra,
    });
    expect(f.refused(s, f.head2, ruling(['head2', 'head5']), people).code).toBe(DomainErrorCode.Forbidden); // sat on the panel
    expect(f.refused(s, head5, ruling(['head5']), people).message).toMatch(/needs at least 2 members/);
    /** head5 proposes, head6 confirms: in effect with the second confirmation (machine version 7). */
    const ruled = (event: Record<string, unknown>) =>
      f.send(f.send(s, head5, event, people), head6, { type: 'CONFIRM_APPEAL_RULING' }, people);
    const modified = ruled(
      ruling(['head5', 'head6'], 'modified', {
        outcome: 'partial',
        accountability: [{ userId: 'owner', responsibility: 'direct', reduction: 'lighter', reason: 'r' }],
      }),
    );
    expect(statePath(modified.value)).toBe('closed');
    expect(modified.context.exemption!.decision).toMatchObject({ outcome: 'partial', beforeAppeal: { outcome: 'not_exempt' } });
    const overturned = ruled(ruling(['head5', 'head6'], 'overturned'));
    expect(overturned.context.exemption!.decision).toMatchObject({ outcome: 'exempt', accountability: [] });
    expect(overturned.context.exemption!.appealRounds![0].ruling).toMatchObject({
      result: 'overturned',
      before: { outcome: 'not_exempt' },
    });
    // A late appeal: the period ended.
    const late = closedNotExempt();
    const lateEvent = { type: 'FILE_APPEAL', grounds: 'g', evidence: [], actor: f.owner, at: '2027-01-05T00:00:00.000Z' } as CaseEvent;
    expect(() => decide(late, lateEvent, inputs)).toThrow(/The appeal period ended at 2026-12-31T15:59:59\.999Z/);
  });

  it('discipline inspection reopens a closed review: a new round, the earlier outcome kept and marked superseded', () => {
    const s = closedNotExempt();
    const reopen = { type: 'REOPEN_REVIEW', ground: 'concealment', reasons: 'new facts', evidence: f.EVIDENCE, dueProcess: DP };
    expect(f.refused(s, f.compliance, reopen).code).toBe(DomainErrorCode.Forbidden);
    expect(f.refused(s, f.discipline, { ...reopen, evidence: [] }).message).toMatch(/at least one piece of evidence/);
    const r = f.send(s, f.discipline, reopen);
    expect(statePath(r.value)).toBe('exemptionReview.verification');
    const ex = r.context.exemption!;
    expect(ex).toMatchObject({ decision: null, conclusion: null, findings: {}, distinctions: {}, rules: 7 });
    expect(ex.previousDecisions[0]).toMatchObject({
      outcome: 'not_exempt',
      supersededBy: { by: 'discipline', reopening: 0 },
      conclusion: { appealEndsAt: ENDS },
    });
    expect(ex.reopenings).toEqual([expect.objectContaining({ ground: 'concealment', reasons: 'new facts' })]);
  });

  it('migrates a version 4 review: it keeps the rules it opened under, without due process; a closed one can still be reopened', () => {
    const v5 = persistSnapshot(f.toDecision());
    const {
      dueProcess: _d,
      distinctions: _x,
      previousDistinctions: _p,
      hearings: _h,
      legalityReviews: _l,
      appealRounds: _a,
      reopenings: _r,
      ...v4ex
    } = v5.context.exemption!;
    const v4 = { ...v5, context: { ...v5.context, exemption: v4ex } };
    const migrated = migrateSnapshot(JSON.parse(JSON.stringify(v4)), 4);
    expect(migrated.context.exemption).toMatchObject({ rules: 4, dueProcess: null, distinctions: {}, hearings: [], reopenings: [] });
    const s = restoreSnapshot(v4, 4);
    expect(
      f.refused(s, f.compliance2, {
        type: 'RECORD_DISTINCTION',
        distinction: 'trial_vs_prohibition',
        side: 'tolerable',
        reasons: 'r',
        evidence: f.EVIDENCE,
      }).message,
    ).toMatch(/opened before the due-process rules \(machine version 5\)/);
    // A v4 case closed with an outcome (persisted as `done`) restores as closed and can be reopened under the rules in force (7).
    let closed = panelVotes(f.toDecision(), 'exempt');
    closed = f.send(closed, f.members[5], decideEvent('exempt'));
    closed = f.send(closed, f.compliance2, { type: 'CONCLUDE_NOTICE' });
    const stored = { ...persistSnapshot(closed), status: 'done' };
    const restored = restoreSnapshot(stored, 4);
    expect(restored.status).toBe('active');
    const reopened = f.send(restored, f.discipline, {
      type: 'REOPEN_REVIEW',
      ground: 'new_evidence',
      reasons: 'r',
      evidence: f.EVIDENCE,
      dueProcess: DP,
    });
    expect(reopened.context.exemption).toMatchObject({ rules: 7, dueProcess: DP });
  });

  it('machine version 7: the appeal ruling is proposed by one member and takes effect once each member named confirms it', () => {
    let s = f.send(closedNotExempt(), f.owner, { type: 'FILE_APPEAL', grounds: 'g', evidence: [] });
    const upheld = { type: 'RULE_ON_APPEAL', result: 'upheld', reasons: 'r', members: ['head5', 'head6'] };
    s = f.send(s, head5, upheld, people);
    expect(statePath(s.value)).toBe('exemptionReview.appeal');
    expect(s.context.exemption!.appealRounds![0].proposals[0]).toMatchObject({
      by: 'head5',
      confirmations: [{ by: 'head5' }],
      lapsed: null,
    });
    const taskInputs: TaskInputs = {
      committeeMembers: [],
      criterionQueue: () => 'compliance_officer',
      monitoringCadenceDays: 92,
      memberQueue: (_id, roles) => roles[0],
    };
    expect(desiredTasks(s, taskInputs).map((t) => [t.kind, t.queue, t.assigneeId])).toEqual([
      ['confirm_appeal_ruling', 'department_head', 'head6'],
    ]);
    expect(f.refused(s, head5, upheld, people).message).toMatch(/already proposed .*CONFIRM_APPEAL_RULING, waiting for head6/);
    expect(f.refused(s, head5, { type: 'CONFIRM_APPEAL_RULING' }, people).message).toMatch(/already confirmed this ruling/);
    const notNamed = f.refused(s, head7, { type: 'CONFIRM_APPEAL_RULING' }, people);
    expect([notNamed.code, notNamed.message]).toEqual([DomainErrorCode.Forbidden, expect.stringMatching(/not named in the 复核小组/)]);
    expect(f.refused(s, f.head2, { type: 'CONFIRM_APPEAL_RULING' }, people).message).toMatch(/sat on the first decision/);
    // Another ruling replaces the pending one (its confirmations start again); so does an appeal joining the round.
    const replaced = f.send(s, head7, { ...upheld, result: 'overturned', members: ['head7', 'head6'] }, people);
    expect(replaced.context.exemption!.appealRounds![0].proposals.map((p) => p.lapsed?.why ?? null)).toEqual(['replaced', null]);
    expect(statePath(f.send(replaced, head6, { type: 'CONFIRM_APPEAL_RULING' }, people).value)).toBe('closed');
    const done = f.send(s, head6, { type: 'CONFIRM_APPEAL_RULING', note: 'agreed' }, people);
    expect(statePath(done.value)).toBe('closed');
    expect(done.context.exemption!.appealRounds![0].ruling).toMatchObject({
      by: 'head5',
      result: 'upheld',
      confirmations: [
        { by: 'head5', note: null },
        { by: 'head6', note: 'agreed' },
      ],
    });
    expect(desiredTasks(done, taskInputs)).toEqual([]);
  });

  /** A version 6 snapshot of a review opened under rules 5 (the review rules before machine version 7). */
  const openedUnderRules5 = (s: CaseSnapshot) => {
    const v6 = JSON.parse(JSON.stringify(persistSnapshot(s)));
    v6.context.exemption.rules = 5;
    return restoreSnapshot(v6, 6);
  };

  it('machine version 7: the legality review must have reviewed the reduction and reason decided; a review opened under rules 5 keeps its match', () => {
    const lighter = [{ userId: 'owner', responsibility: 'direct', reduction: 'lighter', reason: 'reported early' }];
    let s = panelVotes(distinctions(f.toDecision({ dueProcess: DP })), 'partial');
    s = f.send(s, f.members[5], { ...propose, outcome: 'partial', accountability: lighter });
    s = f.send(s, f.owner, { type: 'SUBMIT_STATEMENT', statement: 's', evidence: [] });
    s = f.send(s, legal3, legality('favourable'));
    const reduced = [{ ...lighter[0], reduction: 'reduced' }];
    expect(f.refused(s, f.members[5], decideEvent('partial', reduced)).message).toMatch(/reduction reduced instead of lighter/);
    expect(statePath(f.send(s, f.members[5], decideEvent('partial', lighter)).value)).toBe('exemptionReview.publicNotice');
    // Migrated from version 6, a review opened under rules 5 keeps them, and its record says so.
    const old = openedUnderRules5(s);
    expect(migrateSnapshot(JSON.parse(JSON.stringify(persistSnapshot(old))), 6).context.exemption!.rules).toBe(5);
    expect(statePath(f.send(old, f.members[5], decideEvent('partial', reduced)).value)).toBe('exemptionReview.publicNotice');
  });

  it('a review opened under rules 5 keeps them on appeal: one member records the ruling for the body, heavier only refused from partial to not_exempt', () => {
    const appealing = openedUnderRules5(f.send(closedNotExempt(), f.owner, { type: 'FILE_APPEAL', grounds: 'g', evidence: [] }));
    const stored = JSON.parse(JSON.stringify(persistSnapshot(appealing)));
    delete stored.context.exemption.appealRounds[0].proposals;
    expect(migrateSnapshot(stored, 6).context.exemption!.appealRounds![0].proposals).toEqual([]);
    const s = restoreSnapshot(stored, 6);
    const ruled = f.send(s, head5, { type: 'RULE_ON_APPEAL', result: 'upheld', reasons: 'r', members: ['head5', 'head6'] }, people);
    expect(statePath(ruled.value)).toBe('closed');
    expect(ruled.context.exemption!.appealRounds![0].ruling).toMatchObject({ by: 'head5', result: 'upheld' });
    expect(ruled.context.exemption!.appealRounds![0].ruling!.confirmations).toBeUndefined();
    expect(f.refused(s, head6, { type: 'CONFIRM_APPEAL_RULING' }, people).message).toMatch(/opened under rules 5 and keeps them/);
  });
});
