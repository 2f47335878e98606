import type { EvidenceRef, ExemptionOutcome, LossCause, Stamp } from '../case.types';

/**
 * "三个区分开来" (2016): each distinction separates a tolerable side from a culpable one. The verifiers
 * record one structured finding per distinction, with reasons and evidence; the culpable side of any
 * one excludes `exempt` and `partial`.
 */
export const DISTINCTIONS = [
  {
    code: 'inexperience_vs_knowing_violation',
    titleZh: '把干部在推进改革中因缺乏经验、先行先试出现的失误错误，同明知故犯的违纪违法行为区分开来',
    titleEn: 'A mistake from inexperience in a pilot or exploratory investment vs a knowing violation (明知故犯)',
    tolerable: 'inexperience',
    culpable: 'knowing_violation',
  },
  {
    code: 'trial_vs_prohibition',
    titleZh: '把尚无明确限制的探索性试验中的失误错误，同明令禁止后依然我行我素的违纪违法行为区分开来',
    titleEn: 'A trial not yet restricted vs acting against an explicit prohibition (明令禁止)',
    tolerable: 'unrestricted_trial',
    culpable: 'explicit_prohibition',
  },
  {
    code: 'development_vs_personal_gain',
    titleZh: '把为推动发展的无意过失，同为谋取私利的违纪违法行为区分开来',
    titleEn: 'An unintentional error made to advance the business vs a violation for personal gain (谋取私利)',
    tolerable: 'development_error',
    culpable: 'personal_gain',
  },
] as const;

export type DistinctionCode = (typeof DISTINCTIONS)[number]['code'];
export const DISTINCTION_CODES: readonly DistinctionCode[] = DISTINCTIONS.map((d) => d.code);
export const DISTINCTION_SIDES = ['tolerable', 'culpable'] as const;
export type DistinctionSide = (typeof DISTINCTION_SIDES)[number];

export interface DistinctionFinding extends Stamp {
  side: DistinctionSide;
  reasons: string;
  evidence: EvidenceRef[];
}

export type DistinctionFindings = Partial<Record<DistinctionCode, DistinctionFinding>>;

const title = (code: DistinctionCode) => DISTINCTIONS.find((d) => d.code === code)!.titleEn;

/** Why this finding cannot be recorded, or null: a known distinction, reasons, at least one piece of evidence, once a round. */
export function distinctionFindingProblem(
  findings: DistinctionFindings,
  f: { distinction: string; side: string; reasons: string; evidence: EvidenceRef[] },
): string | null {
  if (!(DISTINCTION_CODES as readonly string[]).includes(f.distinction)) {
    return `Unknown distinction "${f.distinction}"; the three distinctions (三个区分开来) are ${DISTINCTION_CODES.join(', ')}.`;
  }
  if (!(DISTINCTION_SIDES as readonly string[]).includes(f.side))
    return `A distinction's finding is tolerable or culpable, not "${f.side}".`;
  if (!f.reasons.trim()) return 'A distinction finding needs its reasons.';
  if (f.evidence.length === 0) return `A distinction finding needs at least one piece of evidence (${f.distinction}).`;
  if (findings[f.distinction as DistinctionCode]) {
    return `Distinction ${f.distinction} already has a finding in this round; it stands for the round.`;
  }
  return null;
}

/** The distinctions without a finding, and those found on the culpable side. */
export function distinctionStatus(findings: DistinctionFindings): { missing: DistinctionCode[]; culpable: DistinctionCode[] } {
  return {
    missing: DISTINCTION_CODES.filter((c) => !findings[c]),
    culpable: DISTINCTION_CODES.filter((c) => findings[c]?.side === 'culpable'),
  };
}

/**
 * Why the three distinctions forbid this outcome, or null. Every distinction needs a finding before
 * any decision; the culpable side of any one excludes `exempt` and `partial`.
 */
export function distinctionsOutcomeProblem(findings: DistinctionFindings, outcome: ExemptionOutcome): string | null {
  const { missing, culpable } = distinctionStatus(findings);
  if (missing.length > 0) {
    return `The three distinctions (三个区分开来) each need a finding before the decision; missing: ${missing.join(', ')}.`;
  }
  if (outcome !== 'not_exempt' && culpable.length > 0) {
    return `${outcome} is excluded: the conduct was found on the culpable side of ${culpable.map((c) => `${c} (${title(c)})`).join('; ')}; only not_exempt is possible.`;
  }
  return null;
}

/**
 * The loss causes that are objective factors (损失源于探索性研发、市场、政策或不可抗力等客观因素):
 * exploratory R&D (technology), the market, policy, force majeure. Operations and "other" are not.
 */
export const OBJECTIVE_LOSS_CAUSES: readonly LossCause[] = ['market', 'technology', 'policy', 'force_majeure'];

/** Why `objective_cause` cannot be found `met` for this loss cause, or null: the cause decides, not free text. */
export function objectiveCauseProblem(criterion: string, finding: string, lossCause: LossCause | null): string | null {
  if (criterion !== 'objective_cause' || finding !== 'met') return null;
  if (lossCause && OBJECTIVE_LOSS_CAUSES.includes(lossCause)) return null;
  return `objective_cause cannot be met: the application gives the loss cause as ${lossCause ?? 'nothing'}, which is not an objective factor (${OBJECTIVE_LOSS_CAUSES.join(', ')}).`;
}
