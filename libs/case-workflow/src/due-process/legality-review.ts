import type { AccountabilityReferral, ExemptionOutcome, Stamp } from '../case.types';

export const LEGALITY_CONCLUSIONS = ['favourable', 'unfavourable'] as const;
export type LegalityConclusion = (typeof LEGALITY_CONCLUSIONS)[number];

/** 合法性审查 (Order No. 46): a legal officer's review of a proposed decision that refers someone. */
export interface LegalityReview extends Stamp {
  /** The review round it belongs to; a new round needs a new review. */
  round: number;
  proposedOutcome: ExemptionOutcome;
  proposedAccountability: AccountabilityReferral[];
  lawfulBasis: string;
  procedure: string;
  proportionality: string;
  conclusion: LegalityConclusion;
}

/** A decision refers someone when it is `not_exempt` or `partial`. */
export const refersSomeone = (outcome: ExemptionOutcome) => outcome !== 'exempt';

/** Who may not review the legality of a decision on this case: everyone involved in it. */
export interface CaseInvolvement {
  team: string[];
  /** Took part in the investment decision under review (approver, DD author, risk officer, voter, chair). */
  participants: string[];
  /** Verified a criterion, flagged an item, recorded a distinction or sat on the decision in this review. */
  reviewers: string[];
}

/** Why this legal officer cannot review legality, or null: they must be independent of the case. */
export function legalityReviewerProblem(reviewerId: string, involvement: CaseInvolvement): string | null {
  if (involvement.team.includes(reviewerId))
    return 'The legality review is by a legal officer independent of the case: a team member cannot give it.';
  if (involvement.participants.includes(reviewerId)) {
    return 'The legality review is by a legal officer independent of the case: someone who took part in the investment decision cannot give it.';
  }
  if (involvement.reviewers.includes(reviewerId)) {
    return 'The legality review is by a legal officer independent of the case: someone who verified, flagged or decides in this review cannot give it.';
  }
  return null;
}

const key = (a: AccountabilityReferral[]) =>
  a
    .map((r) => `${r.userId}:${r.responsibility}`)
    .sort()
    .join(',');

const reasonOf = (a: AccountabilityReferral) => a.reason?.trim() ?? '';

/**
 * How one list of persons referred differs from another, one phrase per difference: for each person
 * whether they are named, their responsibility, the reduction (从轻/减轻) and its reason. Empty when the
 * two say the same, whatever the order of the persons.
 */
export function accountabilityDifferences(reviewed: AccountabilityReferral[], decided: AccountabilityReferral[]): string[] {
  const out: string[] = [];
  const before = new Map(reviewed.map((a) => [a.userId, a]));
  const after = new Set(decided.map((a) => a.userId));
  for (const a of decided) {
    const r = before.get(a.userId);
    if (!r) {
      out.push(`person ${a.userId} is not in the reviewed proposal`);
      continue;
    }
    if (r.responsibility !== a.responsibility)
      out.push(`person ${a.userId}: responsibility ${a.responsibility} instead of ${r.responsibility}`);
    if ((r.reduction ?? null) !== (a.reduction ?? null))
      out.push(`person ${a.userId}: reduction ${a.reduction ?? 'none'} instead of ${r.reduction ?? 'none'}`);
    if (reasonOf(r) !== reasonOf(a)) out.push(`person ${a.userId}: reason "${reasonOf(a)}" instead of "${reasonOf(r)}"`);
  }
  for (const r of reviewed) if (!after.has(r.userId)) out.push(`person ${r.userId} of the reviewed proposal is not in the decision`);
  return out;
}

/**
 * How the decision differs from the proposal a legality review reviewed, one phrase per difference:
 * the outcome, then the persons (accountabilityDifferences). Empty when the decided text is the reviewed text.
 */
export function decisionDifferences(
  reviewed: { outcome: ExemptionOutcome; accountability: AccountabilityReferral[] },
  decided: { outcome: ExemptionOutcome; accountability: AccountabilityReferral[] },
): string[] {
  return [
    ...(reviewed.outcome !== decided.outcome ? [`outcome ${decided.outcome} instead of ${reviewed.outcome}`] : []),
    ...accountabilityDifferences(reviewed.accountability, decided.accountability),
  ];
}

/**
 * Why a decision cannot be taken without (another) legality review, or null. A decision that refers
 * someone needs the latest review of this round to be favourable and to concern exactly this decision.
 * Under machine version 7's rules (`whole`) that is everything the decision decides: the outcome, the
 * persons, their responsibilities, reductions and the reasons given for them, so the text reviewed is
 * the text decided. Reviews opened before compare the outcome, persons and responsibilities only.
 */
export function legalityDecisionProblem(
  reviews: LegalityReview[],
  round: number,
  decision: { outcome: ExemptionOutcome; accountability: AccountabilityReferral[] },
  whole = true,
): string | null {
  if (!refersSomeone(decision.outcome)) return null;
  const latest = reviews.filter((r) => r.round === round).at(-1);
  if (!latest) {
    return `A ${decision.outcome} decision refers someone for accountability and needs a favourable legality review (合法性审查, LEGALITY_REVIEW by an independent legal officer) first.`;
  }
  if (latest.conclusion !== 'favourable') {
    return `The legality review (合法性审查) of ${latest.at} was unfavourable; the decision is refused until a favourable review of the proposal.`;
  }
  if (!whole) {
    if (latest.proposedOutcome !== decision.outcome || key(latest.proposedAccountability) !== key(decision.accountability)) {
      return `The decision differs from the proposal the legality review approved (${latest.proposedOutcome}, ${latest.proposedAccountability.length} person(s)); a changed proposal needs its own review.`;
    }
    return null;
  }
  const differences = decisionDifferences({ outcome: latest.proposedOutcome, accountability: latest.proposedAccountability }, decision);
  if (differences.length > 0) {
    return `The decision differs from the proposal the legality review (合法性审查) of ${latest.at} approved: ${differences.join('; ')}. Decide the text that was reviewed; a changed proposal needs its own hearing and legality review (PROPOSE_ACCOUNTABILITY, then LEGALITY_REVIEW).`;
  }
  return null;
}
