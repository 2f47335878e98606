import type { AccountabilityReferral, EvidenceRef, ExemptionOutcome, Stamp } from '../case.types';

/** 申诉/复核: a referred person's appeal against the decision, within a working-day period after the notice. */
export interface Appeal extends Stamp {
  grounds: string;
  evidence: EvidenceRef[];
}

export const APPEAL_RESULTS = ['upheld', 'modified', 'overturned'] as const;
export type AppealResult = (typeof APPEAL_RESULTS)[number];

export interface AppealRuling extends Stamp {
  result: AppealResult;
  reasons: string;
  /** The members of the appeal body; none sat on the first decision. */
  members: string[];
  /** The outcome standing after the ruling. */
  outcome: ExemptionOutcome;
  accountability: AccountabilityReferral[];
}

/** Why this person cannot appeal now, or null. */
export function appealFilingProblem(
  referred: AccountabilityReferral[],
  appeals: Appeal[],
  userId: string,
  at: string,
  appealEndsAt: string | null,
): string | null {
  if (!referred.some((r) => r.userId === userId)) return 'Only a person the decision refers for accountability may appeal (申诉).';
  if (appeals.some((a) => a.by === userId)) return 'Your appeal is already on the record for this decision.';
  if (!appealEndsAt || Date.parse(at) > Date.parse(appealEndsAt)) {
    return `The appeal period ended at ${appealEndsAt ?? 'the notice'}; an appeal can no longer be filed.`;
  }
  return null;
}

/** Why this body cannot hear the appeal, or null: none of its members sat on the first decision, and at least one member. */
export function appealBodyProblem(members: string[], firstDecision: string[]): string | null {
  if (members.length === 0) return 'The appeal body (复核) needs its members named.';
  if (new Set(members).size !== members.length) return 'A member is named twice in the appeal body.';
  const sat = members.filter((m) => firstDecision.includes(m));
  if (sat.length > 0) return `The appeal goes to a body none of whose members sat on the first decision; ${sat.join(', ')} did.`;
  return null;
}

/**
 * The outcome after the appeal body's ruling, or the reason the ruling is refused. Upheld: the decision
 * stands unchanged. Overturned: the accountability is set aside (exempt, nobody referred). Modified:
 * another outcome or other responsibilities, which must differ from the decision and refer someone
 * (setting all accountability aside is overturning), and may only lighten or narrow it.
 */
export function appealOutcome(
  decision: { outcome: ExemptionOutcome; accountability: AccountabilityReferral[] },
  ruling: { result: AppealResult; outcome?: ExemptionOutcome; accountability?: AccountabilityReferral[] },
): { outcome: ExemptionOutcome; accountability: AccountabilityReferral[] } | string {
  switch (ruling.result) {
    case 'upheld':
      return { outcome: decision.outcome, accountability: decision.accountability.map((a) => ({ ...a })) };
    case 'overturned':
      return { outcome: 'exempt', accountability: [] };
    case 'modified': {
      const outcome = ruling.outcome;
      const accountability = ruling.accountability ?? [];
      if (!outcome || outcome === 'exempt')
        return 'A modified ruling names the new outcome (partial or not_exempt); setting the accountability aside is overturning.';
      if (accountability.length === 0) return 'A modified ruling names the persons it still refers and their responsibility.';
      const before = new Set(decision.accountability.map((a) => a.userId));
      const added = accountability.filter((a) => !before.has(a.userId)).map((a) => a.userId);
      if (added.length > 0)
        return `An appeal cannot refer someone the decision did not refer (${added.join(', ')}); that needs a reopened review.`;
      if (decision.outcome === 'partial' && outcome === 'not_exempt')
        return 'An appeal cannot make the decision heavier (partial to not_exempt).';
      const same =
        outcome === decision.outcome &&
        JSON.stringify([...accountability].sort((a, b) => a.userId.localeCompare(b.userId))) ===
          JSON.stringify([...decision.accountability].sort((a, b) => a.userId.localeCompare(b.userId)));
      if (same) return 'A modified ruling must change the outcome or the responsibilities; otherwise it upholds the decision.';
      return { outcome, accountability: accountability.map((a) => ({ ...a })) };
    }
  }
}
