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

/**
 * Why a decision cannot be taken without (another) legality review, or null. A decision that refers
 * someone needs the latest review of this round to be favourable and to concern exactly this outcome
 * and these persons with these responsibilities.
 */
export function legalityDecisionProblem(
  reviews: LegalityReview[],
  round: number,
  decision: { outcome: ExemptionOutcome; accountability: AccountabilityReferral[] },
): string | null {
  if (!refersSomeone(decision.outcome)) return null;
  const latest = reviews.filter((r) => r.round === round).at(-1);
  if (!latest) {
    return `A ${decision.outcome} decision refers someone for accountability and needs a favourable legality review (合法性审查, LEGALITY_REVIEW by an independent legal officer) first.`;
  }
  if (latest.conclusion !== 'favourable') {
    return `The legality review (合法性审查) of ${latest.at} was unfavourable; the decision is refused until a favourable review of the proposal.`;
  }
  if (latest.proposedOutcome !== decision.outcome || key(latest.proposedAccountability) !== key(decision.accountability)) {
    return `The decision differs from the proposal the legality review approved (${latest.proposedOutcome}, ${latest.proposedAccountability.length} person(s)); a changed proposal needs its own review.`;
  }
  return null;
}
