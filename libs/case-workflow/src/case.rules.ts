import { tallyVotes } from './committee.rules';
import type {
  AccountabilityReferral,
  AppealRound,
  CaseContext,
  CaseEvent,
  CaseEventType,
  EventOf,
  ExemptionContext,
  ExemptionOutcome,
  HearingRecord,
  NegativeListFlag,
} from './case.types';
import { appealBodyProblem, appealFilingProblem, appealOutcome, pendingProposal, sameRuling, unconfirmed } from './due-process/appeal';
import { hearingDecisionProblem, statementProblem } from './due-process/hearing';
import { legalityDecisionProblem } from './due-process/legality-review';
import { reopeningProblem } from './due-process/reopening';
import { distinctionFindingProblem, distinctionsOutcomeProblem, objectiveCauseProblem } from './due-process/three-distinctions';
import { WORKSTREAMS } from './case.types';
import { describeTally, investmentDecisionParticipants, tallyPanel } from './panel.rules';

export { investmentDecisionParticipants };

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

/** Negative-list flags not withdrawn: while one stands, the only outcome is not_exempt. */
export const standingFlags = (ctx: CaseContext): (NegativeListFlag & { index: number })[] =>
  (ctx.exemption?.flags ?? []).map((f, index) => ({ ...f, index })).filter((f) => !f.withdrawal);

/** Everyone named in a standing flag. */
export const flaggedPersons = (ctx: CaseContext): Set<string> => new Set(standingFlags(ctx).flatMap((f) => f.persons ?? []));

/**
 * Order No. 46 Art. 36(4), as machine version 4 reads it: who explicitly recorded opposition or a
 * reservation in the collective decision — a `reject` vote, a vote with a recorded reservation, or a
 * risk opinion other than `pass`. An abstention with reasons is not a reservation.
 */
export function recordedDissenters(ctx: CaseContext): Set<string> {
  return new Set([
    ...ctx.votes.filter((v) => v.vote === 'reject' || !!v.reservation?.trim()).map((v) => v.by),
    ...(ctx.riskOpinion && ctx.riskOpinion.opinion !== 'pass' ? [ctx.riskOpinion.by] : []),
  ]);
}

/** Duties a person held on the case themselves, which a dissent in the collective decision does not cover. */
export function ownDuties(ctx: CaseContext, userId: string): string[] {
  const duties: string[] = [];
  if (ctx.ownerId === userId) duties.push('case owner (monitoring and reporting duty)');
  else if (ctx.team.includes(userId)) duties.push('case team member (monitoring and reporting duty)');
  const reports = Object.entries(ctx.ddReports)
    .filter(([, r]) => r?.by === userId)
    .map(([w]) => w);
  if (reports.length > 0) duties.push(`author of the ${reports.join(', ')} due-diligence report`);
  return duties;
}

/** `code (标题)` for a criterion or negative-list item, from the definitions frozen into the review. */
export function describeCode(ex: NonNullable<CaseContext['exemption']>, code: string): string {
  const def = ex.criteriaDefinitions?.find((d) => d.code === code) ?? ex.negativeListDefinitions?.find((d) => d.code === code);
  return def ? `${code} (${def.titleZh} / ${def.titleEn})` : code;
}

/**
 * Whether the case is concluded: closed by an exit that covered the investment, or its exemption
 * review's notice concluded (closed, or an appeal against it pending). `closed` still accepts an
 * appeal and a reopening (machine version 5), but its team no longer changes.
 */
export const concluded = (ctx: CaseContext): boolean =>
  (ctx.exit?.proceedsFen != null && ctx.exemption === null) || !!ctx.exemption?.conclusion;

const CONCLUDED_TEAM = 'The case is closed (结案): its team no longer changes.';

/** The review round: 1, plus one for each earlier decision (an upheld objection or a reopening starts a new one). */
export const reviewRound = (ex: ExemptionContext): number => ex.previousDecisions.length + 1;

/** Whether the review runs under machine version 5's due process (三个区分开来, legality review, hearing, appeal). */
export const dueProcessApplies = (ex: ExemptionContext | null | undefined): boolean => !!ex && ex.rules >= 5 && !!ex.dueProcess;

/**
 * Whether the review runs under machine version 7's rules (a review opened or reopened since): the
 * legality review (合法性审查) must have reviewed exactly the decision taken, persons, responsibilities,
 * reductions and their reasons included; an appeal ruling makes nobody's position heavier (不加重原则);
 * the appeal body's ruling is proposed by one member (RULE_ON_APPEAL) and takes effect once each member
 * it names has confirmed it (CONFIRM_APPEAL_RULING). Reviews opened under version 5 keep the rules they
 * opened under (one member records the ruling, naming the body).
 */
export const integrityRulesApply = (ex: ExemptionContext | null | undefined): boolean => dueProcessApplies(ex) && ex!.rules >= 7;

/** The hearing of the current round (the latest proposal), or null. */
export function currentHearing(ex: ExemptionContext): HearingRecord | null {
  const last = ex.hearings?.at(-1);
  return last && last.round === reviewRound(ex) ? last : null;
}

/** The appeal round not yet ruled on, or null. */
export function openAppealRound(ex: ExemptionContext): AppealRound | null {
  const last = ex.appealRounds?.at(-1);
  return last && last.ruling === null ? last : null;
}

/** Everyone who sat on the decision standing now: who recorded it and the panel members whose votes it adopted. */
export function firstDecisionSitters(ex: ExemptionContext): string[] {
  const d = ex.decision;
  if (!d) return [];
  return [...new Set([d.by, ...(d.panelVotes ?? []).map((v) => v.by)])];
}

/** Everyone who verified, flagged, found on a distinction, proposed or voted in this review: not independent of it. */
export function reviewActors(ex: ExemptionContext): string[] {
  return [
    ...new Set([
      ...Object.values(ex.findings).map((f) => f.by),
      ...ex.flags.flatMap((f) => [f.by, ...(f.withdrawal ? [f.withdrawal.by] : [])]),
      ...Object.values(ex.distinctions ?? {}).map((f) => f.by),
      ...(ex.hearings ?? []).filter((h) => h.round === reviewRound(ex)).map((h) => h.by),
      ...(ex.panel?.votes ?? []).map((v) => v.by),
    ]),
  ];
}

const BEFORE_DUE_PROCESS =
  'This review opened before the due-process rules (machine version 5) and keeps the rules it opened under; it has no ';

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
    if (inFuture(e.exitedAt, e.at)) return 'exitedAt is in the future: record the exit once it has happened.';
    // Four eyes on the figure that decides whether a review opens at all (issue 11 point 6).
    const confirmed = ctx.exit?.confirmation;
    if (!confirmed)
      return 'The exit proceeds must first be confirmed by a department head against the source document (CONFIRM_EXIT_AMOUNT).';
    if (confirmed.proceedsFen !== e.proceedsFen)
      return `The proceeds entered (${e.proceedsFen} fen) differ from the ${confirmed.proceedsFen} fen a department head confirmed from ${confirmed.sourceDocument}: check the source document, and either enter the confirmed figure or have the confirmation corrected.`;
    return null;
  },
  CONFIRM_EXIT_AMOUNT: (_ctx, e) => {
    if (!Number.isSafeInteger(e.proceedsFen) || e.proceedsFen < 0) return 'proceedsFen must be a whole number of fen, 0 or more.';
    if (!e.sourceDocument.trim())
      return 'Name the source document the amount was confirmed from (agreement, bank receipt, liquidation report).';
    return null;
  },
  ADD_TEAM_MEMBER: (ctx, e) => {
    if (concluded(ctx)) return CONCLUDED_TEAM;
    const refusal = teamMemberRefusal(ctx, e.userId);
    if (refusal) return refusal;
    if (ctx.teamFrozen) {
      if (!e.reason?.trim()) {
        return 'The team froze when the committee vote opened: adding a member now needs a reason, and a department head approves it (DECIDE_TEAM_CHANGE).';
      }
      if (ctx.teamRequests.some((r) => r.userId === e.userId))
        return 'Adding that person is already waiting for a department head (DECIDE_TEAM_CHANGE).';
    }
    return null;
  },
  DECIDE_TEAM_CHANGE: (ctx, e) => {
    if (concluded(ctx)) return CONCLUDED_TEAM;
    if (!ctx.teamRequests.some((r) => r.userId === e.userId)) return 'There is no pending request to add that person to the team.';
    return e.approved ? teamMemberRefusal(ctx, e.userId) : null;
  },
  VERIFY_CRITERION: (ctx, e) => {
    const ex = ctx.exemption;
    if (!ex) return null;
    if (!ex.criteria.includes(e.criterion)) {
      return `Unknown criterion "${e.criterion}": this review uses ${ex.criteria.join(', ')} (criteria ${ex.criteriaVersion}).`;
    }
    if (e.negativeListFacts?.length) {
      if (e.finding !== 'not_met')
        return 'negativeListFacts are the negative-list facts a not_met finding rests on: leave them out of a met finding.';
      const unknown = e.negativeListFacts.filter((i) => !ex.negativeListItems.includes(i));
      if (unknown.length > 0)
        return `Unknown negative-list item ${unknown.join(', ')}: this review uses ${ex.negativeListItems.join(', ')}.`;
    }
    // Automatic evidence is binding unless overridden openly (machine version 4).
    if (e.finding === 'met' && e.autoEvidence && !e.autoEvidence.met && !e.overrideReason?.trim()) {
      return `The automatic evidence of criterion ${describeCode(ex, e.criterion)} is not met (${e.autoEvidence.unmet.join(', ')} in the procedural-compliance report): recording met needs an overrideReason, which the record shows beside the finding.`;
    }
    if (e.overrideReason?.trim() && e.finding !== 'met') {
      return 'An overrideReason explains a met finding against the automatic evidence: leave it out of a not_met finding.';
    }
    // Machine version 5: the loss cause decides objective_cause, not free text.
    if (dueProcessApplies(ex)) {
      const cause = objectiveCauseProblem(e.criterion, e.finding, ex.application?.lossCause ?? null);
      if (cause) return cause;
    }
    const earlier = ex.findings[e.criterion];
    // A finding stands for the round: a later verifier cannot quietly replace a not_met with a met.
    if (earlier) {
      return `Criterion ${describeCode(ex, e.criterion)} already has a finding (${earlier.finding}, recorded ${earlier.at}); a finding stands for this round — an upheld objection reopens verification.`;
    }
    return null;
  },
  FLAG_NEGATIVE_LIST: (ctx, e) => {
    if (ctx.exemption && !ctx.exemption.negativeListItems.includes(e.item)) {
      return `Unknown negative-list item "${e.item}": this review uses ${ctx.exemption.negativeListItems.join(', ')} (negative list ${ctx.exemption.negativeListVersion}).`;
    }
    if (!e.persons?.length) return 'A negative-list flag names the person(s) whose conduct it concerns (persons).';
    if (new Set(e.persons).size !== e.persons.length) return 'Name each person once in persons.';
    if (!e.evidence?.length) return 'A negative-list flag cites its evidence (evidence: title and reference).';
    return null;
  },
  WITHDRAW_FLAG: (ctx, e) => {
    const flag = ctx.exemption?.flags[e.flag];
    if (!flag) return `There is no negative-list flag number ${e.flag} on this review.`;
    if (flag.withdrawal) return `Flag ${e.flag} was already withdrawn on ${flag.withdrawal.at}.`;
    return null;
  },
  RECUSE_FROM_PANEL: (ctx, e) =>
    ctx.exemption?.panel?.recusals.some((r) => r.by === e.actor.id) ? 'You have already recused yourself from this panel.' : null,
  CAST_PANEL_VOTE: (ctx) =>
    ctx.exemption?.panel
      ? null
      : 'This review is decided by the committee chair alone (opened before the panel policy): there is no panel vote.',
  RECEIVE_REFERRAL: (ctx) => {
    const d = ctx.exemption?.decision;
    if (!d || d.outcome === 'exempt' || d.accountability.length === 0) return 'This decision refers nobody to discipline inspection.';
    if (d.referralReceipt) return `The referral was already received on ${d.referralReceipt.at}.`;
    return null;
  },
  DECIDE_EXEMPTION: (ctx, e) => {
    const ex = ctx.exemption;
    if (!ex) return 'There is no exemption review on this case.';
    if (ex.rules < 4) return legacyDecisionRefusal(ctx, e);
    return decisionRefusal(ctx, e) ?? (dueProcessApplies(ex) ? dueProcessRefusal(ctx, e) : null);
  },
  RECORD_DISTINCTION: (ctx, e) => {
    const ex = ctx.exemption;
    if (!dueProcessApplies(ex)) return `${BEFORE_DUE_PROCESS}structured findings on the three distinctions (三个区分开来).`;
    return distinctionFindingProblem(ex!.distinctions ?? {}, e);
  },
  PROPOSE_ACCOUNTABILITY: (ctx, e) => {
    const ex = ctx.exemption;
    if (!dueProcessApplies(ex)) return `${BEFORE_DUE_PROCESS}hearing (申辩).`;
    if (e.outcome === 'exempt') return 'An exempt decision refers nobody and needs no hearing: propose partial or not_exempt.';
    return outcomeRefusal(ctx, e.outcome, e.accountability);
  },
  SUBMIT_STATEMENT: (ctx, e) => {
    const ex = ctx.exemption;
    if (!dueProcessApplies(ex)) return `${BEFORE_DUE_PROCESS}hearing (申辩).`;
    const hearing = currentHearing(ex!);
    return statementProblem(hearing, hearing?.statements ?? {}, e.actor.id, e.at);
  },
  LEGALITY_REVIEW: (ctx) => {
    const ex = ctx.exemption;
    if (!dueProcessApplies(ex)) return `${BEFORE_DUE_PROCESS}legality review (合法性审查).`;
    if (!currentHearing(ex!)) {
      return 'There is no proposed decision to review: the legality review (合法性审查) examines the proposal that PROPOSE_ACCOUNTABILITY put to the persons concerned.';
    }
    return null;
  },
  FILE_APPEAL: (ctx, e) => {
    const ex = ctx.exemption;
    if (!ex?.decision) return 'There is no decision to appeal against.';
    if (!dueProcessApplies(ex)) return `${BEFORE_DUE_PROCESS}appeal (申诉).`;
    const round = reviewRound(ex);
    const filed = (ex.appealRounds ?? []).filter((r) => r.round === round).flatMap((r) => r.appeals);
    return appealFilingProblem(ex.decision.accountability, filed, e.actor.id, e.at, ex.conclusion?.appealEndsAt ?? null);
  },
  RULE_ON_APPEAL: (ctx, e) => {
    const ex = ctx.exemption;
    if (!ex?.decision || !ex.dueProcess || !openAppealRound(ex)) return 'There is no appeal waiting for a ruling.';
    const body = appealBodyProblem(e.members, firstDecisionSitters(ex));
    if (body) return body;
    if (e.members.length < ex.dueProcess.appeal.minMembers) {
      return `The ${ex.dueProcess.appeal.body} needs at least ${ex.dueProcess.appeal.minMembers} members (due-process policy ${ex.dueProcess.version}); ${e.members.length} named.`;
    }
    if (!e.members.includes(e.actor.id)) return 'The ruling is recorded by one of the members of the appeal body it names.';
    if (!e.reasons.trim()) return 'An appeal ruling gives its reasons.';
    if (e.result !== 'modified' && (e.outcome !== undefined || e.accountability !== undefined)) {
      return `An ${e.result} ruling names no outcome or accountability: only a modified ruling does.`;
    }
    const result = appealOutcome(ex.decision, e, integrityRulesApply(ex));
    if (typeof result === 'string') return result;
    if (result.outcome === 'partial') {
      const incomplete = result.accountability.filter((a) => !a.reduction || !a.reason?.trim());
      if (incomplete.length > 0) {
        return `In a partial outcome each person named needs a reduction (lighter 从轻 or reduced 减轻) and a reason: missing for ${who(incomplete.map((a) => a.userId))}.`;
      }
    }
    const pending = pendingProposal(openAppealRound(ex));
    if (pending && sameRuling(pending, e)) {
      return `This ruling is already proposed (by ${pending.by} at ${pending.at}); each member it names confirms it with CONFIRM_APPEAL_RULING, waiting for ${who(unconfirmed(pending))}.`;
    }
    return null;
  },
  CONFIRM_APPEAL_RULING: (ctx, e) => {
    const ex = ctx.exemption;
    const open = ex ? openAppealRound(ex) : null;
    if (!ex?.decision || !open) return 'There is no appeal waiting for a ruling.';
    if (!integrityRulesApply(ex)) {
      return `This review opened under rules ${ex.rules} and keeps them: its appeal ruling is recorded by one member naming the body (RULE_ON_APPEAL); there is nothing to confirm.`;
    }
    const pending = pendingProposal(open);
    if (!pending) {
      return 'No appeal ruling is proposed yet: a member of the appeal body proposes one (RULE_ON_APPEAL), then each member it names confirms it.';
    }
    const mine = pending.confirmations.find((c) => c.by === e.actor.id);
    if (mine) {
      return `You have already confirmed this ruling (${mine.at}); it takes effect once ${who(unconfirmed(pending))} confirm it too.`;
    }
    return null;
  },
  REOPEN_REVIEW: (ctx, e) => reopeningProblem({ state: 'closed', hasOutcome: !!ctx.exemption?.decision }, e),
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
    if (
      (ctx.exemption?.rules ?? 0) >= 4 &&
      decision.outcome !== 'exempt' &&
      decision.accountability.length > 0 &&
      !decision.referralReceipt
    ) {
      return 'The referral to discipline inspection (纪检监察) must be received (RECEIVE_REFERRAL) before the notice is concluded.';
    }
    return null;
  },
};

/** The people an event names, who must exist (and be active) for it to be taken. */
export function peopleNamed(event: CaseEvent): string[] {
  if (event.type === 'ADD_TEAM_MEMBER' || event.type === 'DECIDE_TEAM_CHANGE') return [event.userId];
  if (event.type === 'FLAG_NEGATIVE_LIST') return event.persons;
  if (event.type === 'DECIDE_EXEMPTION' || event.type === 'PROPOSE_ACCOUNTABILITY')
    return (event.accountability ?? []).map((a) => a.userId);
  if (event.type === 'RULE_ON_APPEAL') return [...event.members, ...(event.accountability ?? []).map((a) => a.userId)];
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

/** Why a person may not join the team (already on it, or has reviewed the case), or null. Their roles are a permission (403). */
function teamMemberRefusal(ctx: CaseContext, userId: string): string | null {
  if (isTeam(ctx, userId)) return 'That person is already on the case team.';
  if (ctx.reviewers.includes(userId)) {
    return 'That person has already reviewed, approved or voted on this case and cannot join its team (separation of duties).';
  }
  return null;
}

/** The decision rules of reviews opened before machine version 4 (kept for them: a review keeps the rules it opened under). */
function legacyDecisionRefusal(ctx: CaseContext, e: EventOf<'DECIDE_EXEMPTION'>): string | null {
  const ex = ctx.exemption!;
  const referred = e.accountability ?? [];
  if (e.outcome === 'exempt') {
    const notMet = ex.criteria.filter((c) => ex.findings[c]?.finding === 'not_met');
    if (notMet.length > 0) {
      return `Full exemption is refused while criterion ${notMet.map((c) => describeCode(ex, c)).join(', ')} is not met; decide partial or not_exempt, or have the criterion re-examined.`;
    }
    const flags = standingFlags(ctx);
    if (flags.length > 0) {
      const items = [...new Set(flags.map((f) => f.item))];
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
}

const who = (ids: Iterable<string>) => [...ids].join(', ');

/**
 * The decision rules of machine version 4: the negative list binds every outcome, `partial` names
 * each person whose responsibility is reduced, dissent shields only the collective decision, and a
 * panel's decision is the outcome its rule says carried.
 */
function decisionRefusal(ctx: CaseContext, e: EventOf<'DECIDE_EXEMPTION'>): string | null {
  const ex = ctx.exemption!;
  const referred: AccountabilityReferral[] = e.accountability ?? [];
  if (ex.panel) {
    const tally = tallyPanel(ex.panel.votes, ex.panel.rule);
    if (tally.carried === null) return `No outcome has carried in the ${ex.panel.rule.body}: ${describeTally(tally, ex.panel.rule)}.`;
    if (tally.carried !== e.outcome) {
      return `The ${ex.panel.rule.body} carried ${tally.carried}, not ${e.outcome}: ${describeTally(tally, ex.panel.rule)}. The decision records the outcome the panel carried.`;
    }
  }
  return outcomeRefusal(ctx, e.outcome, referred);
}

/**
 * Machine version 5, after every rule of version 4: the three distinctions allow the outcome; a
 * decision that refers someone has heard each person (申辩) and has a favourable legality review
 * (合法性审查) of exactly this proposal.
 */
function dueProcessRefusal(ctx: CaseContext, e: EventOf<'DECIDE_EXEMPTION'>): string | null {
  const ex = ctx.exemption!;
  const decision = { outcome: e.outcome, accountability: e.accountability ?? [] };
  const round = reviewRound(ex);
  const hearing = currentHearing(ex);
  return (
    distinctionsOutcomeProblem(ex.distinctions ?? {}, e.outcome) ??
    hearingDecisionProblem(hearing, hearing?.statements ?? {}, round, decision, e.at) ??
    legalityDecisionProblem(ex.legalityReviews ?? [], round, decision, integrityRulesApply(ex))
  );
}

/**
 * The outcome rules of machine version 4 for an outcome and the persons it names (a decision, or a
 * proposal put to a hearing): the negative list binds every outcome, `partial` names each person
 * whose responsibility is reduced, dissent shields only the collective decision.
 */
function outcomeRefusal(ctx: CaseContext, outcome: ExemptionOutcome, referred: AccountabilityReferral[]): string | null {
  const ex = ctx.exemption!;
  const e = { outcome };
  const flags = standingFlags(ctx);
  const named = flaggedPersons(ctx);
  if (flags.length > 0) {
    if (e.outcome !== 'not_exempt') {
      const items = [...new Set(flags.map((f) => f.item))];
      return `Negative-list item ${items.map((i) => describeCode(ex, i)).join(', ')} is flagged (负面清单): while a flag stands the only outcome is not_exempt, referring ${who(named)}. A flag is withdrawn only by a recorded ruling (WITHDRAW_FLAG).`;
    }
    const missing = [...named].filter((id) => !referred.some((a) => a.userId === id));
    if (missing.length > 0) {
      return `Person ${who(missing)} is named in a standing negative-list flag and must be referred for accountability (accountability).`;
    }
  }
  if (e.outcome === 'exempt') {
    const notMet = ex.criteria.filter((c) => ex.findings[c]?.finding === 'not_met');
    if (notMet.length > 0) {
      return `Full exemption is refused while criterion ${notMet.map((c) => describeCode(ex, c)).join(', ')} is not met; decide partial or not_exempt, or have the criterion re-examined.`;
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
    return null;
  }
  if (e.outcome === 'partial') {
    const resting = ex.criteria.filter(
      (c) => ex.findings[c]?.finding === 'not_met' && (ex.findings[c]?.negativeListFacts?.length ?? 0) > 0,
    );
    if (resting.length > 0) {
      const facts = [...new Set(resting.flatMap((c) => ex.findings[c].negativeListFacts!))];
      return `partial is refused: the not_met finding on ${resting.map((c) => describeCode(ex, c)).join(', ')} rests on negative-list fact ${facts.map((i) => describeCode(ex, i)).join(', ')}; decide not_exempt.`;
    }
    if (referred.length === 0) {
      return 'A partial decision (从轻/减轻) names, in accountability, each person whose responsibility is reduced, with the responsibility type, the reduction (lighter 从轻 or reduced 减轻) and the reason.';
    }
    const incomplete = referred.filter((a) => !a.reduction || !a.reason?.trim());
    if (incomplete.length > 0) {
      return `In a partial decision each person named needs a reduction (lighter 从轻 or reduced 减轻) and a reason: missing for ${who(incomplete.map((a) => a.userId))}.`;
    }
  }
  if (e.outcome === 'not_exempt') {
    if (referred.length === 0) {
      return 'A not_exempt decision must name, in accountability, each person referred and their responsibility (direct, supervisory or leadership).';
    }
    if (referred.some((a) => a.reduction))
      return 'A reduction (从轻/减轻) belongs to a partial decision: decide partial, or leave reduction out.';
  }
  const seen = new Set<string>();
  const dissenters = recordedDissenters(ctx);
  for (const a of referred) {
    if (seen.has(a.userId)) return `Person ${a.userId} is named twice in accountability; name each person once with one responsibility.`;
    seen.add(a.userId);
    // Dissent shields responsibility for the collective decision, not one's own conduct or duties.
    if (dissenters.has(a.userId) && !named.has(a.userId) && ownDuties(ctx, a.userId).length === 0) {
      return `Person ${a.userId} recorded opposition or a reservation in the investment decision (a vote against, a recorded reservation, or a conditional or fail risk opinion) and is shielded from responsibility for that collective decision (Order No. 46 Art. 36(4)); they can be referred only for negative-list conduct named against them in a flag or for duties they held themselves.`;
    }
  }
  return null;
}
