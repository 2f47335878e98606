import type { AccountabilityReferral, EvidenceRef, ExemptionOutcome, Stamp } from '../case.types';

/** 申辩: the proposal put to the persons it would hold accountable, and the period they have to answer. */
export interface Hearing extends Stamp {
  round: number;
  proposedOutcome: ExemptionOutcome;
  persons: AccountabilityReferral[];
  periodDays: number;
  /** The close of the period's last working day. */
  endsAt: string;
  calendarVersion: string;
}

export interface HearingStatement extends Stamp {
  statement: string;
  evidence: EvidenceRef[];
}

/** Why this person cannot submit a statement now, or null. */
export function statementProblem(
  hearing: Hearing | null,
  statements: Record<string, HearingStatement>,
  userId: string,
  at: string,
): string | null {
  if (!hearing) return 'There is no hearing open on this review.';
  if (!hearing.persons.some((p) => p.userId === userId))
    return 'Only a person proposed for accountability submits a statement in the hearing (申辩).';
  if (statements[userId]) return 'Your statement is already on the record; it stands for this hearing.';
  if (Date.parse(at) > Date.parse(hearing.endsAt))
    return `The hearing period ended at ${hearing.endsAt}; the statement can no longer be submitted.`;
  return null;
}

/** The persons heard who have not answered. */
export const unanswered = (hearing: Hearing, statements: Record<string, HearingStatement>) =>
  hearing.persons.filter((p) => !statements[p.userId]).map((p) => p.userId);

/**
 * Why the decision cannot be taken yet, or null. A decision that refers someone needs a hearing of this
 * round in which every person it refers was proposed; it waits until each has answered or the period
 * has ended.
 */
export function hearingDecisionProblem(
  hearing: Hearing | null,
  statements: Record<string, HearingStatement>,
  round: number,
  decision: { outcome: ExemptionOutcome; accountability: AccountabilityReferral[] },
  at: string,
): string | null {
  if (decision.outcome === 'exempt') return null;
  if (!hearing || hearing.round !== round) {
    return 'Each person proposed for accountability must be heard first (申辩): PROPOSE_ACCOUNTABILITY opens the hearing.';
  }
  const heard = new Set(hearing.persons.map((p) => p.userId));
  const notHeard = decision.accountability.filter((a) => !heard.has(a.userId)).map((a) => a.userId);
  if (notHeard.length > 0) return `Person ${notHeard.join(', ')} was not heard (申辩) on this proposal and cannot be referred by it.`;
  const waiting = unanswered(hearing, statements);
  if (waiting.length > 0 && Date.parse(at) <= Date.parse(hearing.endsAt)) {
    return `The hearing runs until ${hearing.endsAt}: ${waiting.join(', ')} has not answered yet; decide after every answer or the end of the period.`;
  }
  return null;
}
