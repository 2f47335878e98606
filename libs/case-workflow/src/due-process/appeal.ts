import {
  RESPONSIBILITY_ZH,
  type AccountabilityReferral,
  type EvidenceRef,
  type ExemptionOutcome,
  type Reduction,
  type Responsibility,
  type Stamp,
} from '../case.types';
import { accountabilityDifferences, decisionDifferences } from './legality-review';

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
  /**
   * Machine version 7 (reviews under rules 7): each member's confirmation, the proposer's first; the
   * ruling took effect with the last. Absent on rulings recorded by one member naming the body.
   */
  confirmations?: AppealConfirmation[];
}

/** A member's confirmation of a proposed appeal ruling (CONFIRM_APPEAL_RULING; the proposer's is the proposal). */
export interface AppealConfirmation extends Stamp {
  note: string | null;
}

/**
 * Machine version 7: a ruling proposed to the appeal body (RULE_ON_APPEAL). It takes effect once every
 * member it names has confirmed it; until then it can lapse: another proposal replaces it, or another
 * appeal joins the round (the body rules on every appeal of the round).
 */
export interface AppealProposal extends Stamp {
  result: AppealResult;
  reasons: string;
  members: string[];
  outcome?: ExemptionOutcome;
  accountability?: AccountabilityReferral[];
  confirmations: AppealConfirmation[];
  lapsed: (Stamp & { why: 'replaced' | 'new_appeal' }) | null;
}

/** The proposal of an appeal round waiting for confirmations, or null. */
export const pendingProposal = (round: { proposals?: AppealProposal[] } | null): AppealProposal | null => {
  const last = round?.proposals?.at(-1);
  return last && last.lapsed === null ? last : null;
};

/** The members a proposal names who have not confirmed it yet. */
export const unconfirmed = (p: AppealProposal): string[] => p.members.filter((m) => !p.confirmations.some((c) => c.by === m));

/** Whether a ruling sent says exactly what the proposal says (the same result, reasons, body, outcome and persons). */
export function sameRuling(
  p: AppealProposal,
  r: { result: AppealResult; reasons: string; members: string[]; outcome?: ExemptionOutcome; accountability?: AccountabilityReferral[] },
): boolean {
  return (
    p.result === r.result &&
    p.reasons.trim() === r.reasons.trim() &&
    JSON.stringify([...p.members].sort()) === JSON.stringify([...r.members].sort()) &&
    (p.outcome ?? null) === (r.outcome ?? null) &&
    accountabilityDifferences(p.accountability ?? [], r.accountability ?? []).length === 0
  );
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
 * How heavy each part of a person's accountability is, lightest first. Responsibility after the
 * order of 国资委令第37号 (直接责任 heaviest, then 主管责任, then 领导责任); within a referral, a
 * reduction below the range (减轻) is lighter than one within it (从轻), and either is lighter than
 * none (not_exempt).
 */
const RESPONSIBILITY_WEIGHT: Record<Responsibility, number> = { leadership: 0, supervisory: 1, direct: 2 };
const MITIGATION_WEIGHT: Record<Reduction | 'none', number> = { reduced: 0, lighter: 1, none: 2 };
const MITIGATION_TEXT: Record<Reduction | 'none', string> = {
  reduced: 'partial, reduced (减轻)',
  lighter: 'partial, lighter (从轻)',
  none: 'not_exempt (不予免责)',
};

const mitigation = (outcome: ExemptionOutcome, a: AccountabilityReferral): Reduction | 'none' =>
  outcome === 'partial' ? (a.reduction ?? 'lighter') : 'none';

/**
 * 不加重原则 (no reformatio in peius): how a ruling would make the decision heavier for the persons it
 * refers, one phrase per person and aspect (empty: nobody's position is worse). Compared per person,
 * aspect by aspect: the outcome (partial to not_exempt), the responsibility, the reduction. Naming
 * someone the decision did not refer is refused on its own.
 */
export function heavierForSomeone(
  decision: { outcome: ExemptionOutcome; accountability: AccountabilityReferral[] },
  ruling: { outcome: ExemptionOutcome; accountability: AccountabilityReferral[] },
): string[] {
  const out: string[] = [];
  const before = new Map(decision.accountability.map((a) => [a.userId, a]));
  for (const a of ruling.accountability) {
    const b = before.get(a.userId);
    if (!b) continue;
    if (RESPONSIBILITY_WEIGHT[a.responsibility] > RESPONSIBILITY_WEIGHT[b.responsibility]) {
      out.push(
        `person ${a.userId}: responsibility ${b.responsibility} (${RESPONSIBILITY_ZH[b.responsibility]}) to ${a.responsibility} (${RESPONSIBILITY_ZH[a.responsibility]})`,
      );
    }
    const [was, now] = [mitigation(decision.outcome, b), mitigation(ruling.outcome, a)];
    if (MITIGATION_WEIGHT[now] > MITIGATION_WEIGHT[was]) {
      out.push(`person ${a.userId}: ${MITIGATION_TEXT[was]} to ${MITIGATION_TEXT[now]}`);
    }
  }
  return out;
}

/**
 * The outcome after the appeal body's ruling, or the reason the ruling is refused. Upheld: the decision
 * stands unchanged. Overturned: the accountability is set aside (exempt, nobody referred). Modified:
 * another outcome or other responsibilities, which must differ from the decision and refer someone
 * (setting all accountability aside is overturning), and may only lighten or narrow it. Under machine
 * version 7's rules (`noWorsening`) that holds for every person and aspect (不加重原则): a heavier
 * responsibility or a smaller reduction is refused too, and only a review reopened by discipline
 * inspection can lead to a heavier outcome.
 */
export function appealOutcome(
  decision: { outcome: ExemptionOutcome; accountability: AccountabilityReferral[] },
  ruling: { result: AppealResult; outcome?: ExemptionOutcome; accountability?: AccountabilityReferral[] },
  noWorsening = true,
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
      if (noWorsening) {
        const heavier = heavierForSomeone(decision, { outcome, accountability });
        if (heavier.length > 0) {
          return `An appeal must not make the decision heavier (不加重原则): ${heavier.join('; ')}. The appeal body may uphold, lighten or narrow the decision; only a review reopened by discipline inspection (REOPEN_REVIEW) can lead to a heavier outcome.`;
        }
      } else if (decision.outcome === 'partial' && outcome === 'not_exempt') {
        return 'An appeal cannot make the decision heavier (partial to not_exempt).';
      }
      if (decisionDifferences(decision, { outcome, accountability }).length === 0)
        return 'A modified ruling must change the outcome or the responsibilities; otherwise it upholds the decision.';
      return { outcome, accountability: accountability.map((a) => ({ ...a })) };
    }
  }
}
