import type { AccountabilityReferral } from '../case.types';
import { appealBodyProblem, appealFilingProblem, appealOutcome } from './appeal';
import { hearingDecisionProblem, statementProblem, type Hearing } from './hearing';
import { legalityDecisionProblem, legalityReviewerProblem, type LegalityReview } from './legality-review';
import { reopeningProblem } from './reopening';
import {
  distinctionFindingProblem,
  distinctionsOutcomeProblem,
  objectiveCauseProblem,
  type DistinctionFinding,
  type DistinctionFindings,
} from './three-distinctions';

const at = '2026-06-01T02:00:00.000Z';
const ev = [{ title: 'Board minutes', ref: 'ARCH-1' }];
const f = (side: 'tolerable' | 'culpable'): DistinctionFinding => ({ by: 'v', at, side, reasons: 'r', evidence: ev });
const allTolerable: DistinctionFindings = {
  inexperience_vs_knowing_violation: f('tolerable'),
  trial_vs_prohibition: f('tolerable'),
  development_vs_personal_gain: f('tolerable'),
};
const refer = (userId: string, responsibility: AccountabilityReferral['responsibility'] = 'direct'): AccountabilityReferral => ({
  userId,
  responsibility,
});

describe('三个区分开来: three structured findings', () => {
  it('each distinction needs a finding before any decision', () => {
    const { development_vs_personal_gain: _, ...two } = allTolerable;
    expect(distinctionsOutcomeProblem(two, 'not_exempt')).toMatch(/missing: development_vs_personal_gain/);
    expect(distinctionsOutcomeProblem(allTolerable, 'exempt')).toBeNull();
  });

  it.each(['inexperience_vs_knowing_violation', 'trial_vs_prohibition', 'development_vs_personal_gain'] as const)(
    'the culpable side of %s excludes exempt and partial, not not_exempt',
    (code) => {
      const findings = { ...allTolerable, [code]: f('culpable') };
      expect(distinctionsOutcomeProblem(findings, 'exempt')).toMatch(new RegExp(`exempt is excluded: .*${code}`));
      expect(distinctionsOutcomeProblem(findings, 'partial')).toMatch(/partial is excluded/);
      expect(distinctionsOutcomeProblem(findings, 'not_exempt')).toBeNull();
    },
  );

  it('a finding needs a known distinction, a side, reasons and evidence, once a round', () => {
    const ok = { distinction: 'trial_vs_prohibition', side: 'tolerable', reasons: 'No rule restricted the pilot.', evidence: ev };
    expect(distinctionFindingProblem({}, ok)).toBeNull();
    expect(distinctionFindingProblem({}, { ...ok, distinction: 'x' })).toMatch(/Unknown distinction/);
    expect(distinctionFindingProblem({}, { ...ok, side: 'maybe' })).toMatch(/tolerable or culpable/);
    expect(distinctionFindingProblem({}, { ...ok, reasons: ' ' })).toMatch(/reasons/);
    expect(distinctionFindingProblem({}, { ...ok, evidence: [] })).toMatch(/evidence/);
    expect(distinctionFindingProblem(allTolerable, ok)).toMatch(/already has a finding/);
  });

  it('ties the loss cause to objective_cause: met only for market, technology, policy, force majeure', () => {
    for (const cause of ['market', 'technology', 'policy', 'force_majeure'] as const)
      expect(objectiveCauseProblem('objective_cause', 'met', cause)).toBeNull();
    expect(objectiveCauseProblem('objective_cause', 'met', 'operations')).toMatch(/operations, which is not an objective factor/);
    expect(objectiveCauseProblem('objective_cause', 'met', 'other')).toMatch(/not an objective factor/);
    expect(objectiveCauseProblem('objective_cause', 'not_met', 'operations')).toBeNull();
    expect(objectiveCauseProblem('procedure_followed', 'met', 'operations')).toBeNull();
  });
});

describe('合法性审查: legality review before a decision that refers someone', () => {
  const review = (o: Partial<LegalityReview> = {}): LegalityReview => ({
    by: 'legal',
    at,
    round: 1,
    proposedOutcome: 'not_exempt',
    proposedAccountability: [refer('a'), refer('b', 'supervisory')],
    lawfulBasis: 'Order No. 46 Art. 36',
    procedure: 'Heard, noticed.',
    proportionality: 'Direct and supervisory only.',
    conclusion: 'favourable',
    ...o,
  });
  const decision = { outcome: 'not_exempt' as const, accountability: [refer('b', 'supervisory'), refer('a')] };

  it('an exempt decision needs none; a referring one is refused without a review, with an unfavourable one, or a different proposal', () => {
    expect(legalityDecisionProblem([], 1, { outcome: 'exempt', accountability: [] })).toBeNull();
    expect(legalityDecisionProblem([], 1, decision)).toMatch(/needs a favourable legality review/);
    expect(legalityDecisionProblem([review({ conclusion: 'unfavourable' })], 1, decision)).toMatch(/was unfavourable/);
    expect(legalityDecisionProblem([review()], 1, decision)).toBeNull();
    expect(legalityDecisionProblem([review()], 1, { ...decision, outcome: 'partial' })).toMatch(/differs from the proposal/);
    expect(legalityDecisionProblem([review()], 1, { ...decision, accountability: [refer('a')] })).toMatch(/differs from the proposal/);
    expect(
      legalityDecisionProblem([review()], 1, { ...decision, accountability: [refer('a', 'leadership'), refer('b', 'supervisory')] }),
    ).toMatch(/differs/);
    // The latest review counts, and only in its round.
    expect(legalityDecisionProblem([review(), review({ conclusion: 'unfavourable' })], 1, decision)).toMatch(/unfavourable/);
    expect(legalityDecisionProblem([review()], 2, decision)).toMatch(/needs a favourable/);
  });

  it('machine version 7: the reviewed text is the decided text, reductions and their reasons included; version 5 reviews compare persons only', () => {
    const partial = (reduction: 'lighter' | 'reduced', reason: string): AccountabilityReferral => ({
      userId: 'a',
      responsibility: 'direct',
      reduction,
      reason,
    });
    const reviewed = [review({ proposedOutcome: 'partial', proposedAccountability: [partial('lighter', 'Reported early.')] })];
    const decide = (a: AccountabilityReferral) => ({ outcome: 'partial' as const, accountability: [a] });
    expect(legalityDecisionProblem(reviewed, 1, decide(partial('lighter', ' Reported early. ')))).toBeNull();
    expect(legalityDecisionProblem(reviewed, 1, decide(partial('reduced', 'Reported early.')))).toMatch(
      /differs from the proposal the legality review \(合法性审查\) of .*: person a: reduction reduced instead of lighter\. .*its own hearing and legality review/,
    );
    expect(legalityDecisionProblem(reviewed, 1, decide(partial('lighter', 'Other.')))).toMatch(
      /person a: reason "Other\." instead of "Reported early\."/,
    );
    expect(legalityDecisionProblem(reviewed, 1, decide(partial('lighter', 'Reported early.')), false)).toBeNull();
    expect(legalityDecisionProblem(reviewed, 1, decide(partial('reduced', 'Other.')), false)).toBeNull();
    expect(legalityDecisionProblem(reviewed, 1, decide({ ...partial('reduced', 'Other.'), responsibility: 'leadership' }), false)).toMatch(
      /differs from the proposal the legality review approved/,
    );
  });

  it('the reviewer is independent of the case', () => {
    const inv = { team: ['t'], participants: ['p'], reviewers: ['r'] };
    expect(legalityReviewerProblem('x', inv)).toBeNull();
    expect(legalityReviewerProblem('t', inv)).toMatch(/team member/);
    expect(legalityReviewerProblem('p', inv)).toMatch(/investment decision/);
    expect(legalityReviewerProblem('r', inv)).toMatch(/verified, flagged or decides/);
  });
});

describe('申辩: hearing before a decision that refers someone', () => {
  const hearing: Hearing = {
    by: 'chair',
    at,
    round: 1,
    proposedOutcome: 'not_exempt',
    persons: [refer('a'), refer('b', 'supervisory')],
    periodDays: 5,
    endsAt: '2026-06-08T15:59:59.999Z',
    calendarVersion: 'cn-2026.1',
  };
  const decision = { outcome: 'not_exempt' as const, accountability: [refer('a'), refer('b', 'supervisory')] };
  const stmt = { by: 'a', at, statement: 's', evidence: ev };

  it('refuses a referring decision without a hearing of the round, or naming someone not heard', () => {
    expect(hearingDecisionProblem(null, {}, 1, decision, at)).toMatch(/must be heard first/);
    expect(hearingDecisionProblem({ ...hearing, round: 0 }, {}, 1, decision, at)).toMatch(/must be heard first/);
    expect(
      hearingDecisionProblem(hearing, { a: stmt, b: { ...stmt, by: 'b' } }, 1, { ...decision, accountability: [refer('c')] }, at),
    ).toMatch(/c was not heard/);
    expect(hearingDecisionProblem(null, {}, 1, { outcome: 'exempt', accountability: [] }, at)).toBeNull();
  });

  it('waits until everyone answered or the period ended', () => {
    expect(hearingDecisionProblem(hearing, { a: stmt }, 1, decision, at)).toMatch(
      /runs until 2026-06-08T15:59:59.999Z: b has not answered/,
    );
    expect(hearingDecisionProblem(hearing, { a: stmt, b: { ...stmt, by: 'b' } }, 1, decision, at)).toBeNull();
    expect(hearingDecisionProblem(hearing, { a: stmt }, 1, decision, '2026-06-08T16:00:00.000Z')).toBeNull();
    expect(hearingDecisionProblem(hearing, {}, 1, decision, '2026-06-08T15:59:59.999Z')).toMatch(/has not answered/);
  });

  it('a statement comes from a person heard, once, within the period', () => {
    expect(statementProblem(hearing, {}, 'a', at)).toBeNull();
    expect(statementProblem(null, {}, 'a', at)).toMatch(/no hearing/);
    expect(statementProblem(hearing, {}, 'z', at)).toMatch(/Only a person proposed/);
    expect(statementProblem(hearing, { a: stmt }, 'a', at)).toMatch(/already on the record/);
    expect(statementProblem(hearing, {}, 'a', '2026-06-08T16:00:00.000Z')).toMatch(/period ended/);
  });
});

describe('申诉/复核: appeal to a different body', () => {
  const decision = { outcome: 'not_exempt' as const, accountability: [refer('a'), refer('b', 'supervisory')] };

  it('only a referred person, once, within the period', () => {
    const ends = '2026-06-08T15:59:59.999Z';
    expect(appealFilingProblem(decision.accountability, [], 'a', at, ends)).toBeNull();
    expect(appealFilingProblem(decision.accountability, [], 'z', at, ends)).toMatch(/Only a person the decision refers/);
    expect(appealFilingProblem(decision.accountability, [{ by: 'a', at, grounds: 'g', evidence: [] }], 'a', at, ends)).toMatch(/already/);
    expect(appealFilingProblem(decision.accountability, [], 'a', '2026-06-08T16:00:00.000Z', ends)).toMatch(/period ended/);
  });

  it('a body none of whose members sat on the first decision', () => {
    expect(appealBodyProblem(['x', 'y'], ['p1', 'p2'])).toBeNull();
    expect(appealBodyProblem(['x', 'p2'], ['p1', 'p2'])).toMatch(/p2 did/);
    expect(appealBodyProblem([], ['p1'])).toMatch(/members named/);
    expect(appealBodyProblem(['x', 'x'], [])).toMatch(/twice/);
  });

  it('upholds, overturns or modifies (lighter or narrower only)', () => {
    expect(appealOutcome(decision, { result: 'upheld' })).toEqual(decision);
    expect(appealOutcome(decision, { result: 'overturned' })).toEqual({ outcome: 'exempt', accountability: [] });
    expect(appealOutcome(decision, { result: 'modified', outcome: 'partial', accountability: [refer('a')] })).toEqual({
      outcome: 'partial',
      accountability: [refer('a')],
    });
    expect(appealOutcome(decision, { result: 'modified', outcome: 'exempt', accountability: [] })).toMatch(/overturning/);
    expect(appealOutcome(decision, { result: 'modified', outcome: 'partial' })).toMatch(/names the persons/);
    expect(appealOutcome(decision, { result: 'modified', outcome: 'partial', accountability: [refer('c')] })).toMatch(
      /did not refer \(c\)/,
    );
    expect(
      appealOutcome(
        { outcome: 'partial', accountability: [refer('a')] },
        { result: 'modified', outcome: 'not_exempt', accountability: [refer('a')] },
      ),
    ).toMatch(/heavier/);
    expect(
      appealOutcome(decision, { result: 'modified', outcome: 'not_exempt', accountability: [refer('b', 'supervisory'), refer('a')] }),
    ).toMatch(/must change/);
  });

  it('不加重原则: no person, no aspect heavier (machine version 7); rules 5 refused only partial to not_exempt', () => {
    const partial = (
      userId: string,
      reduction: 'lighter' | 'reduced',
      responsibility: AccountabilityReferral['responsibility'] = 'direct',
    ) => ({
      userId,
      responsibility,
      reduction,
      reason: 'r',
    });
    const modified = (outcome: 'partial' | 'not_exempt', accountability: AccountabilityReferral[]) => ({
      result: 'modified' as const,
      outcome,
      accountability,
    });
    // A heavier responsibility (supervisory to direct), even with the others lighter.
    const heavier = appealOutcome(decision, modified('not_exempt', [refer('a', 'supervisory'), refer('b', 'direct')]));
    expect(heavier).toMatch(
      /^An appeal must not make the decision heavier \(不加重原则\): person b: responsibility supervisory \(主管责任\) to direct \(直接责任\)\./,
    );
    expect(heavier).toMatch(/only a review reopened by discipline inspection \(REOPEN_REVIEW\)/);
    // A smaller reduction: 减轻 (below the range) to 从轻 (within it); partial to not_exempt.
    const reduced = { outcome: 'partial' as const, accountability: [partial('a', 'reduced')] };
    expect(appealOutcome(reduced, modified('partial', [partial('a', 'lighter')]))).toMatch(
      /person a: partial, reduced \(减轻\) to partial, lighter \(从轻\)/,
    );
    expect(appealOutcome(reduced, modified('not_exempt', [refer('a')]))).toMatch(
      /person a: partial, reduced \(减轻\) to not_exempt \(不予免责\)/,
    );
    // Lighter in every aspect is a modification; dropping a person narrows it.
    expect(appealOutcome(decision, modified('partial', [partial('a', 'reduced', 'leadership')]))).toEqual({
      outcome: 'partial',
      accountability: [partial('a', 'reduced', 'leadership')],
    });
    expect(
      appealOutcome({ outcome: 'partial', accountability: [partial('a', 'lighter')] }, modified('partial', [partial('a', 'reduced')])),
    ).toEqual({
      outcome: 'partial',
      accountability: [partial('a', 'reduced')],
    });
    // A review under rules 5 keeps its rule: only partial to not_exempt was refused.
    expect(appealOutcome(decision, modified('not_exempt', [refer('a'), refer('b', 'direct')]), false)).toEqual({
      outcome: 'not_exempt',
      accountability: [refer('a'), refer('b', 'direct')],
    });
    expect(appealOutcome(reduced, modified('not_exempt', [refer('a')]), false)).toMatch(/heavier \(partial to not_exempt\)/);
  });
});

describe('重新认定: reopening a closed review', () => {
  it('a closed case with an outcome, reasons and evidence', () => {
    const r = { reasons: 'A concealed side agreement came to light.', evidence: ev };
    expect(reopeningProblem({ state: 'closed', hasOutcome: true }, r)).toBeNull();
    expect(reopeningProblem({ state: 'exemptionReview.publicNotice', hasOutcome: true }, r)).toMatch(/Only a closed case/);
    expect(reopeningProblem({ state: 'closed', hasOutcome: false }, r)).toMatch(/Only a closed case/);
    expect(reopeningProblem({ state: 'closed', hasOutcome: true }, { ...r, reasons: '' })).toMatch(/reasons/);
    expect(reopeningProblem({ state: 'closed', hasOutcome: true }, { ...r, evidence: [] })).toMatch(/evidence/);
  });
});
