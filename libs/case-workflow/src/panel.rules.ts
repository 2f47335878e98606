import type { CaseContext, ExemptionOutcome, PanelState, PanelVote } from './case.types';
import { EXEMPTION_OUTCOMES } from './case.types';
import type { DecisionPanelRule } from './policy.types';
import type { Actor, Role } from './roles';

/**
 * The collective exemption decision (免责认定): who sits, who is recused, and which outcome the
 * panel carried. Pure functions of the case context.
 */

/** Everyone whose own work the exemption review judges: the screening approver, DD authors, the risk officer, voters and the chair who closed voting. */
export function investmentDecisionParticipants(ctx: CaseContext): Set<string> {
  const ids = new Set<string>();
  if (ctx.screening) ids.add(ctx.screening.by);
  for (const r of Object.values(ctx.ddReports)) if (r) ids.add(r.by);
  if (ctx.riskOpinion) ids.add(ctx.riskOpinion.by);
  for (const v of ctx.votes) ids.add(v.by);
  if (ctx.committeeDecision) ids.add(ctx.committeeDecision.by);
  return ids;
}

/**
 * Why a person may not sit on the case's exemption panel (回避), or null. Automatic: the owner and
 * team, and everyone who took part in the investment decision under review. Self-recusal: a recorded
 * RECUSE_FROM_PANEL with its reason.
 */
export function recusalReason(ctx: CaseContext, userId: string): string | null {
  if (ctx.ownerId === userId || ctx.team.includes(userId)) {
    return 'You are the owner or a member of this case team: recused automatically from its exemption decision (回避).';
  }
  if (ctx.screening?.by === userId) return 'You approved this case at screening: recused automatically from its exemption decision (回避).';
  if (Object.values(ctx.ddReports).some((r) => r?.by === userId)) {
    return 'You wrote a due-diligence report of this case: recused automatically from its exemption decision (回避).';
  }
  if (ctx.riskOpinion?.by === userId)
    return 'You gave the risk opinion on this case: recused automatically from its exemption decision (回避).';
  if (ctx.votes.some((v) => v.by === userId))
    return 'You voted on this investment in committee: recused automatically from its exemption decision (回避).';
  if (ctx.committeeDecision?.by === userId) {
    return 'You closed the committee vote on this investment: recused automatically from its exemption decision (回避).';
  }
  const self = ctx.exemption?.panel?.recusals.find((r) => r.by === userId);
  if (self) return `You recused yourself from this panel on ${self.at} (${self.reason}).`;
  return null;
}

/** Whether the actor holds one of the panel rule's roles. */
export const sitsOnPanel = (rule: DecisionPanelRule, actor: Actor): boolean => rule.roles.some((r) => actor.roles.includes(r as Role));

export interface PanelTally {
  cast: number;
  counts: Record<ExemptionOutcome, number>;
  quorumMet: boolean;
  /** The outcome the rule says carried, or null when none did (or the quorum is not met). */
  carried: ExemptionOutcome | null;
}

/** Counts the panel's current votes against its rule. Integer arithmetic: no rounding. */
export function tallyPanel(votes: readonly PanelVote[], rule: DecisionPanelRule): PanelTally {
  const counts = { exempt: 0, partial: 0, not_exempt: 0 } as Record<ExemptionOutcome, number>;
  for (const v of votes) counts[v.outcome]++;
  const cast = votes.length;
  const quorumMet = cast >= rule.quorum;
  const carries = (n: number) =>
    rule.strict
      ? n * rule.majorityDenominator > cast * rule.majorityNumerator
      : n * rule.majorityDenominator >= cast * rule.majorityNumerator;
  const winners = quorumMet && cast > 0 ? EXEMPTION_OUTCOMES.filter((o) => carries(counts[o])) : [];
  return { cast, counts, quorumMet, carried: winners.length === 1 ? winners[0] : null };
}

/** A sentence describing the tally against the rule, for refusals and the record. */
export function describeTally(t: PanelTally, rule: DecisionPanelRule): string {
  const majority = `${rule.strict ? 'more than' : 'at least'} ${rule.majorityNumerator}/${rule.majorityDenominator} of the votes cast`;
  return `${t.cast} vote(s) cast of the ${rule.quorum} the ${rule.body} needs (exempt ${t.counts.exempt}, partial ${t.counts.partial}, not_exempt ${t.counts.not_exempt}); an outcome carries with ${majority} (panel rule ${rule.version}, ${rule.tier} loss)`;
}

export const panelOf = (ctx: CaseContext): PanelState | null => ctx.exemption?.panel ?? null;
