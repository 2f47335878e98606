import type { EvidenceRef, Stamp } from '../case.types';

export const REOPENING_GROUNDS = ['concealment', 'new_evidence', 'other_new_facts'] as const;
export type ReopeningGround = (typeof REOPENING_GROUNDS)[number];

/** 重新认定 (lifetime accountability): discipline inspection reopens a closed review on new facts. */
export interface Reopening extends Stamp {
  ground: ReopeningGround;
  reasons: string;
  evidence: EvidenceRef[];
}

/** Why the review cannot be reopened, or null: a closed case with an outcome, reasons and evidence; any time after closing. */
export function reopeningProblem(
  c: { state: string; hasOutcome: boolean },
  r: { reasons: string; evidence: EvidenceRef[] },
): string | null {
  if (c.state !== 'closed' || !c.hasOutcome) return 'Only a closed case with an exemption outcome can be reopened (重新认定).';
  if (!r.reasons.trim()) return 'A reopening needs its reasons (the new facts).';
  if (r.evidence.length === 0) return 'A reopening needs at least one piece of evidence of the new facts.';
  return null;
}
