import { tallyVotes } from './committee.rules';
import type { CaseContext, CaseEvent, CaseEventType, EventOf } from './case.types';
import { WORKSTREAMS } from './case.types';

/**
 * The guard rules of the case machine, each a pure function returning null when the event may be
 * taken, or a sentence naming the rule it breaks. The machine uses them as guards; the service uses
 * them to tell a user why an event was refused (422).
 */
type Rule<T extends CaseEventType> = (ctx: CaseContext, event: EventOf<T>) => string | null;

const isTeam = (ctx: CaseContext, userId: string) => ctx.ownerId === userId || ctx.team.includes(userId);
const dateOnlyOrderOk = (a: string, b: string) => Date.parse(a) <= Date.parse(b);

/** The team's declarations in FILE_EXEMPTION, each a condition of a full exemption. */
const DECLARATION_TITLES = {
  noPersonalGain: '未谋取私利 no personal gain',
  relatedPartiesDisclosed: '关联关系已披露 related parties disclosed',
  informationComplete: '信息如实完整 information complete and truthful',
} as const;

/** Whether a business date the user typed lies after the moment of the event recording it. */
const inFuture = (date: string, at: string) => Date.parse(date) > Date.parse(at);

export const missingWorkstreams = (ctx: CaseContext) => WORKSTREAMS.filter((w) => !ctx.ddReports[w]);

export const hasVotedThisRound = (ctx: CaseContext, userId: string) => ctx.votes.some((v) => v.by === userId);

export const invested = (ctx: CaseContext): number => ctx.funding?.amountFen ?? 0;

export const unverifiedCriteria = (ctx: CaseContext): string[] =>
  ctx.exemption ? ctx.exemption.criteria.filter((c) => !ctx.exemption!.findings[c]) : [];

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

/** `code (标题)` for a criterion or negative-list item, from the definitions frozen into the review. */
export function describeCode(ex: NonNullable<CaseContext['exemption']>, code: string): string {
  const def = ex.criteriaDefinitions?.find((d) => d.code === code) ?? ex.negativeListDefinitions?.find((d) => d.code === code);
  return def ? `${code} (${def.titleZh} / ${def.titleEn})` : code;
}

export const pendingObjections = (ctx: CaseContext) =>
  (ctx.exemption?.objections ?? []).map((o, index) => ({ ...o, index })).filter((o) => o.ruling === null);

export const rules: { [T in CaseEventType]?: Rule<T> } = {
  CAST_VOTE: (ctx, e) =>
    hasVotedThisRound(ctx, e.actor.id) ? `You have already voted in committee round ${ctx.round}; each member votes once per round.` : null,
  CLOSE_VOTING: (ctx, e) => {
    const tally = tallyVotes(ctx.votes, e.rule);
    if (!tally.quorumMet) {
      return `Voting cannot close: ${tally.cast} of the ${e.rule.quorum} votes the quorum requires have been cast (committee rule ${e.rule.version}).`;
    }
    if (tally.approved && e.rule.riskFailRequiresOverride && ctx.riskOpinion?.opinion === 'fail' && !e.overrideReason?.trim()) {
      return 'The risk officer gave a fail opinion: to approve the investment the chair must state an overrideReason.';
    }
    return null;
  },
  RECORD_SIGNING: (ctx, e) => {
    if (ctx.funding) return 'Signing cannot be changed after funding has been recorded.';
    return inFuture(e.signedAt, e.at) ? 'signedAt is in the future: record the signing once it has happened.' : null;
  },
  RECORD_FUNDING: (ctx, e) => {
    if (!ctx.signing) return 'Record the signing (RECORD_SIGNING) before the funding.';
    if (!Number.isSafeInteger(e.amountFen) || e.amountFen <= 0) return 'amountFen must be a positive whole number of fen.';
    if (!dateOnlyOrderOk(ctx.signing.signedAt, e.fundedAt)) return 'fundedAt cannot be earlier than the recorded signedAt.';
    // The monitoring cadence of the exemption report is counted from fundedAt: it must be a fact.
    if (inFuture(e.fundedAt, e.at)) return 'fundedAt is in the future: record the funding once it has happened.';
    return null;
  },
  COMPLETE_EXIT: (ctx, e) => {
    if (ctx.funding && !dateOnlyOrderOk(ctx.funding.fundedAt, e.exitedAt)) return 'exitedAt cannot be earlier than fundedAt.';
    return inFuture(e.exitedAt, e.at) ? 'exitedAt is in the future: record the exit once it has happened.' : null;
  },
  ADD_TEAM_MEMBER: (ctx, e) => {
    if (isTeam(ctx, e.userId)) return 'That person is already on the case team.';
    if (ctx.reviewers.includes(e.userId)) {
      return 'That person has already reviewed, approved or voted on this case and cannot join its team (separation of duties).';
    }
    return null;
  },
  VERIFY_CRITERION: (ctx, e) => {
    const ex = ctx.exemption;
    if (!ex) return null;
    if (!ex.criteria.includes(e.criterion)) {
      return `Unknown criterion "${e.criterion}": this review uses ${ex.criteria.join(', ')} (criteria ${ex.criteriaVersion}).`;
    }
    const earlier = ex.findings[e.criterion];
    // A finding stands for the round: a later verifier cannot quietly replace a not_met with a met.
    if (earlier) {
      return `Criterion ${describeCode(ex, e.criterion)} already has a finding (${earlier.finding}, recorded ${earlier.at}); a finding stands for this round — an upheld objection reopens verification.`;
    }
    return null;
  },
  FLAG_NEGATIVE_LIST: (ctx, e) =>
    ctx.exemption && !ctx.exemption.negativeListItems.includes(e.item)
      ? `Unknown negative-list item "${e.item}": this review uses ${ctx.exemption.negativeListItems.join(', ')} (negative list ${ctx.exemption.negativeListVersion}).`
      : null,
  DECIDE_EXEMPTION: (ctx, e) => {
    const ex = ctx.exemption;
    if (!ex) return 'There is no exemption review on this case.';
    const referred = e.accountability ?? [];
    if (e.outcome === 'exempt') {
      const notMet = ex.criteria.filter((c) => ex.findings[c]?.finding === 'not_met');
      if (notMet.length > 0) {
        return `Full exemption is refused while criterion ${notMet.map((c) => describeCode(ex, c)).join(', ')} is not met; decide partial or not_exempt, or have the criterion re-examined.`;
      }
      if (ex.flags.length > 0) {
        const items = [...new Set(ex.flags.map((f) => f.item))];
        return `Full exemption is refused while negative-list item ${items.map((i) => describeCode(ex, i)).join(', ')} is flagged (负面清单): decide partial or not_exempt.`;
      }
      const declarations = ex.application?.declarations;
      const withheld = declarations
        ? (Object.keys(DECLARATION_TITLES) as (keyof typeof DECLARATION_TITLES)[]).filter((k) => declarations[k] !== true)
        : [];
      if (withheld.length > 0) {
        return `Full exemption is refused while the team has not declared ${withheld.map((k) => `${k} (${DECLARATION_TITLES[k]})`).join(', ')} in its application: decide partial or not_exempt.`;
      }
      if (referred.length > 0)
        return 'An exempt decision refers nobody for accountability: leave accountability out, or decide partial or not_exempt.';
    }
    if (e.outcome === 'not_exempt' && referred.length === 0) {
      return 'A not_exempt decision must name, in accountability, each person referred and their responsibility (direct, supervisory or leadership).';
    }
    const seen = new Set<string>();
    // Order No. 46 Art. 36(4): whoever recorded opposition or a reservation in the decision is exempt
    // personally (the same test as the record's participants' positions).
    const dissenters = new Set([
      ...ctx.votes.filter((v) => v.vote === 'reject' || (v.vote === 'abstain' && v.reason.trim() !== '')).map((v) => v.by),
      ...(ctx.riskOpinion && ctx.riskOpinion.opinion !== 'pass' ? [ctx.riskOpinion.by] : []),
    ]);
    for (const a of referred) {
      if (seen.has(a.userId)) return `Person ${a.userId} is named twice in accountability; name each person once with one responsibility.`;
      if (dissenters.has(a.userId)) {
        return `Person ${a.userId} recorded opposition or a reservation in the investment decision (a vote against, an abstention with reasons, or a conditional or fail risk opinion) and is exempt personally (Order No. 46 Art. 36(4)); they cannot be referred for accountability.`;
      }
      seen.add(a.userId);
    }
    return null;
  },
  RULE_ON_OBJECTION: (ctx, e) => {
    const objection = ctx.exemption?.objections[e.objection];
    if (!objection) return `There is no objection number ${e.objection} on this review.`;
    if (objection.ruling) return `Objection ${e.objection} has already been ruled on.`;
    return null;
  },
  CONCLUDE_NOTICE: (ctx, e) => {
    const decision = ctx.exemption?.decision;
    if (!decision) return 'There is no decision to conclude.';
    if (Date.parse(e.at) < Date.parse(decision.noticeEndsAt)) {
      return `The public notice period runs until ${decision.noticeEndsAt}; it cannot be concluded before then.`;
    }
    const pending = pendingObjections(ctx);
    if (pending.length > 0) {
      return `Objection ${pending.map((o) => o.index).join(', ')} must be ruled on (RULE_ON_OBJECTION) before the notice is concluded.`;
    }
    return null;
  },
};

/** The people an event names, who must exist (and be active) for it to be taken. */
export function peopleNamed(event: CaseEvent): string[] {
  if (event.type === 'ADD_TEAM_MEMBER') return [event.userId];
  if (event.type === 'DECIDE_EXEMPTION') return (event.accountability ?? []).map((a) => a.userId);
  return [];
}

/** Null when every person the event names was found, else the sentence naming who was not. */
export function missingPeople(event: CaseEvent, found: ReadonlyMap<string, unknown>): string | null {
  const missing = peopleNamed(event).filter((id) => !found.has(id));
  return missing.length > 0 ? `No active user with id ${missing.join(', ')} exists.` : null;
}

/** Runs the rule for an event, if it has one. */
export function checkRule(ctx: CaseContext, event: CaseEvent): string | null {
  const rule = rules[event.type] as Rule<CaseEventType> | undefined;
  return rule ? rule(ctx, event) : null;
}
