import { assertEvent, assign, setup } from 'xstate';
import { appealOutcome, pendingProposal, unconfirmed } from './due-process/appeal';
import {
  checkRule,
  currentHearing,
  integrityRulesApply,
  invested,
  missingWorkstreams,
  openAppealRound,
  reviewRound,
  unverifiedCriteria,
} from './case.rules';
import type {
  AccountabilityReferral,
  AppealRound,
  CaseContext,
  CaseEvent,
  CaseInput,
  EvidenceRef,
  ExemptionContext,
  ReviewPolicyRef,
  Workstream,
} from './case.types';
import type { DueProcessPolicy } from './policy.types';
import { WORKSTREAMS } from './case.types';
import { tallyVotes } from './committee.rules';
import { lossTier } from './exemption/loss-tier';
import { addDays } from './calendar/durations';

/**
 * The version of the machine's definition and context shape. Raise it whenever a persisted snapshot
 * of the previous version could no longer be restored as it is, and add a migration step in
 * `case.snapshot.ts`.
 */
export const MACHINE_VERSION = 7;

/**
 * The version of the review rules a review opens under (frozen into it as `rules`): 5 since the due
 * process around the decision (machine version 6 changed the exit, not the review); 7 since the
 * legality review must match everything the decision decides, an appeal never makes the decision
 * heavier, and the appeal body's ruling takes effect once each member it names has confirmed it (see
 * `integrityRulesApply`). A review keeps the rules it opened under.
 */
export const REVIEW_RULES_VERSION = 7;

const stamp = (e: { actor: { id: string }; at: string }) => ({ by: e.actor.id, at: e.at });
const addReviewer = (ctx: CaseContext, userId: string) => (ctx.reviewers.includes(userId) ? ctx.reviewers : [...ctx.reviewers, userId]);

function openReview(ref: ReviewPolicyRef['review'], trigger: ExemptionContext['trigger'], lossFen: number): ExemptionContext {
  // The panel rule of the loss tier (Order No. 46 thresholds), frozen with the rest of the review's policy.
  const rule = ref.decision?.tiers[lossTier(lossFen, ref.lossTiers).code];
  return {
    // A review opened without the due-process policy (an event recorded before it) keeps version 4's rules.
    rules: ref.dueProcess ? REVIEW_RULES_VERSION : 4,
    trigger,
    criteriaVersion: ref.criteriaVersion,
    criteria: [...ref.criteria],
    criteriaDefinitions: ref.criteriaDefinitions
      ? ref.criteriaDefinitions.map((d) => ({ ...d, verifierRoles: [...d.verifierRoles] }))
      : null,
    negativeListVersion: ref.negativeListVersion,
    negativeListItems: [...ref.negativeListItems],
    negativeListDefinitions: ref.negativeListDefinitions ? ref.negativeListDefinitions.map((d) => ({ ...d })) : null,
    monitoringPolicy: ref.monitoring ? { ...ref.monitoring } : null,
    ...(ref.lossTiers ? { lossTiers: { ...ref.lossTiers, tiers: ref.lossTiers.tiers.map((t) => ({ ...t })) } } : {}),
    application: null,
    findings: {},
    flags: [],
    decision: null,
    objections: [],
    previousDecisions: [],
    previousFindings: [],
    conclusion: null,
    panel: rule ? { rule: { ...rule, roles: [...rule.roles] }, votes: [], recusals: [] } : null,
    ...dueProcessFields(ref.dueProcess ?? null),
  };
}

const cloneDueProcess = (p: DueProcessPolicy): DueProcessPolicy => ({
  ...p,
  hearing: { ...p.hearing },
  appeal: { ...p.appeal, roles: [...p.appeal.roles] },
});

/** The due-process part of a review opened (or reopened) under machine version 5. */
function dueProcessFields(policy: DueProcessPolicy | null) {
  return {
    dueProcess: policy ? cloneDueProcess(policy) : null,
    distinctions: {},
    previousDistinctions: [],
    hearings: [],
    legalityReviews: [],
    appealRounds: [],
    reopenings: [],
  } satisfies Partial<ExemptionContext>;
}

const evidenceOf = (list: readonly EvidenceRef[]) => list.map((x) => ({ title: x.title, ref: x.ref }));

/** The round with its pending proposal (if any) marked lapsed, by this event and why. */
function lapsePending(round: AppealRound, e: { actor: { id: string }; at: string }, why: 'replaced' | 'new_appeal'): AppealRound {
  const proposals = [...(round.proposals ?? [])];
  const last = proposals.length - 1;
  if (pendingProposal(round)) proposals[last] = { ...proposals[last], lapsed: { ...stamp(e), why } };
  return { ...round, proposals };
}
const referrals = (list: readonly AccountabilityReferral[]) => list.map((a) => ({ ...a }));

export const caseMachine = setup({
  types: {
    context: {} as CaseContext,
    events: {} as CaseEvent,
    input: {} as CaseInput,
  },
  guards: {
    /** The event passes its rule in case.rules.ts. */
    ruleOk: ({ context, event }) => checkRule(context, event) === null,
    /** Before the committee vote first opens, the owner adds team members alone. */
    teamOpen: ({ context, event }) => !context.teamFrozen && checkRule(context, event) === null,
    allDdReportsIn: ({ context }) => missingWorkstreams(context).length === 0,
    votingApproved: ({ context, event }) => {
      assertEvent(event, 'CLOSE_VOTING');
      return checkRule(context, event) === null && tallyVotes(context.votes, event.rule).approved;
    },
    votingNotApproved: ({ context, event }) => {
      assertEvent(event, 'CLOSE_VOTING');
      return checkRule(context, event) === null && !tallyVotes(context.votes, event.rule).approved;
    },
    exitCoversInvestment: ({ context, event }) => {
      assertEvent(event, 'COMPLETE_EXIT');
      return checkRule(context, event) === null && event.proceedsFen >= invested(context);
    },
    allCriteriaVerified: ({ context }) => context.exemption !== null && unverifiedCriteria(context).length === 0,
    objectionUpheld: ({ context, event }) => {
      assertEvent(event, 'RULE_ON_OBJECTION');
      return checkRule(context, event) === null && event.upheld;
    },
    /**
     * The appeal body's ruling is agreed: under rules 7 every member the pending proposal names has
     * confirmed it; under earlier rules the one member who recorded it spoke for the body.
     */
    /**
     * The pending proposal has every confirmation it needs and can be adopted (checked when it was
     * proposed; checked again so that a ruling that could not be applied leaves the case in the appeal,
     * never closes it without one).
     */
    appealBodyAgreed: ({ context }) => {
      const ex = context.exemption;
      const p = ex ? pendingProposal(openAppealRound(ex)) : null;
      if (!ex?.decision || p === null || (integrityRulesApply(ex) && unconfirmed(p).length > 0)) return false;
      return typeof appealOutcome(ex.decision, p, integrityRulesApply(ex)) !== 'string';
    },
  },
  actions: {
    addTeamMember: assign(({ context, event }) => {
      assertEvent(event, 'ADD_TEAM_MEMBER');
      return { team: [...context.team, event.userId] };
    }),
    requestTeamChange: assign(({ context, event }) => {
      assertEvent(event, 'ADD_TEAM_MEMBER');
      return { teamRequests: [...context.teamRequests, { ...stamp(event), userId: event.userId, reason: event.reason!.trim() }] };
    }),
    decideTeamChange: assign(({ context, event }) => {
      assertEvent(event, 'DECIDE_TEAM_CHANGE');
      return {
        teamRequests: context.teamRequests.filter((r) => r.userId !== event.userId),
        team: event.approved ? [...context.team, event.userId] : context.team,
        reviewers: addReviewer(context, event.actor.id),
      };
    }),
    recordScreening: assign(({ context, event }) => {
      assertEvent(event, ['APPROVE', 'REJECT']);
      return {
        screening: { ...stamp(event), approved: event.type === 'APPROVE' },
        reviewers: addReviewer(context, event.actor.id),
      };
    }),
    recordReturn: assign(({ context, event }) => ({ reviewers: addReviewer(context, event.actor.id) })),
    recordDdReport: assign(({ context, event }) => {
      assertEvent(event, 'SUBMIT_DD_REPORT');
      return {
        ddReports: {
          ...context.ddReports,
          [event.workstream]: { ...stamp(event), conclusion: event.conclusion, findings: event.findings },
        },
      };
    }),
    reopenDueDiligence: assign(({ context, event }) => {
      assertEvent(event, 'RETURN');
      const reopen: readonly Workstream[] = event.workstreams?.length ? event.workstreams : WORKSTREAMS;
      const ddReports = { ...context.ddReports };
      for (const w of reopen) delete ddReports[w];
      return { ddReports, reviewers: addReviewer(context, event.actor.id) };
    }),
    recordRiskOpinion: assign(({ context, event }) => {
      assertEvent(event, 'RISK_OPINION');
      return {
        riskOpinion: { ...stamp(event), opinion: event.opinion, reason: event.reason, conditions: event.conditions ?? null },
        reviewers: addReviewer(context, event.actor.id),
        // The committee vote opens: the team is frozen from now on (changes need a department head).
        teamFrozen: true,
      };
    }),
    recordVote: assign(({ context, event }) => {
      assertEvent(event, 'CAST_VOTE');
      return {
        votes: [
          ...context.votes,
          { ...stamp(event), vote: event.vote, reason: event.reason, reservation: event.reservation?.trim() || null },
        ],
        reviewers: addReviewer(context, event.actor.id),
      };
    }),
    recordCommitteeDecision: assign(({ context, event }) => {
      assertEvent(event, 'CLOSE_VOTING');
      return {
        committeeDecision: {
          ...stamp(event),
          round: context.round,
          approved: tallyVotes(context.votes, event.rule).approved,
          ruleVersion: event.rule.version,
          overrideReason: event.overrideReason?.trim() || null,
        },
        reviewers: addReviewer(context, event.actor.id),
      };
    }),
    startNewRound: assign(({ context, event }) => {
      assertEvent(event, 'RETURN');
      const ddReports = { ...context.ddReports };
      const reopen: readonly Workstream[] = event.workstreams?.length ? event.workstreams : WORKSTREAMS;
      for (const w of reopen) delete ddReports[w];
      return {
        round: context.round + 1,
        votes: [],
        riskOpinion: null,
        ddReports,
        reviewers: addReviewer(context, event.actor.id),
      };
    }),
    recordSigning: assign(({ event }) => {
      assertEvent(event, 'RECORD_SIGNING');
      return { signing: { ...stamp(event), signedAt: event.signedAt } };
    }),
    recordFunding: assign(({ event }) => {
      assertEvent(event, 'RECORD_FUNDING');
      return { funding: { ...stamp(event), amountFen: event.amountFen, fundedAt: event.fundedAt } };
    }),
    recordMonitoringReport: assign(({ context, event }) => {
      assertEvent(event, 'SUBMIT_MONITORING_REPORT');
      return {
        monitoring: { ...context.monitoring, reports: [...context.monitoring.reports, { ...stamp(event), period: event.period }] },
      };
    }),
    recordRiskGrade: assign(({ context, event }) => {
      assertEvent(event, 'CLASSIFY_RISK');
      return {
        monitoring: { ...context.monitoring, riskGrade: event.grade, gradeChangedAt: event.at },
        reviewers: addReviewer(context, event.actor.id),
      };
    }),
    recordExitStart: assign(({ event }) => {
      assertEvent(event, 'START_EXIT');
      return { exit: { ...stamp(event), channel: event.channel, proceedsFen: null, exitedAt: null, writeOff: false } };
    }),
    recordExitConfirmation: assign(({ context, event }) => {
      assertEvent(event, 'CONFIRM_EXIT_AMOUNT');
      const confirmation = {
        ...stamp(event),
        proceedsFen: event.proceedsFen,
        sourceDocument: event.sourceDocument.trim(),
        note: event.note?.trim() || null,
      };
      return { exit: { ...context.exit!, confirmation }, reviewers: addReviewer(context, event.actor.id) };
    }),
    recordExit: assign(({ context, event }) => {
      assertEvent(event, 'COMPLETE_EXIT');
      const loss = event.proceedsFen < invested(context);
      return {
        exit: {
          ...stamp(event),
          channel: context.exit?.channel ?? null,
          proceedsFen: event.proceedsFen,
          exitedAt: event.exitedAt,
          writeOff: false,
          confirmation: context.exit?.confirmation ?? null,
        },
        exemption: loss ? openReview(event.review, 'loss_exit', invested(context) - event.proceedsFen) : null,
      };
    }),
    recordWriteOff: assign(({ context, event }) => {
      assertEvent(event, 'WRITE_OFF');
      return {
        exit: { ...stamp(event), channel: 'liquidation' as const, proceedsFen: 0, exitedAt: event.at, writeOff: true },
        exemption: openReview(event.review, 'write_off', invested(context)),
        reviewers: addReviewer(context, event.actor.id),
      };
    }),
    recordApplication: assign(({ context, event }) => {
      assertEvent(event, 'FILE_EXEMPTION');
      const { type: _t, actor: _a, at: _at, ...application } = event;
      return { exemption: { ...context.exemption!, application: { ...application, ...stamp(event) } } };
    }),
    recordFinding: assign(({ context, event }) => {
      assertEvent(event, 'VERIFY_CRITERION');
      const ex = context.exemption!;
      return {
        exemption: {
          ...ex,
          findings: {
            ...ex.findings,
            [event.criterion]: {
              ...stamp(event),
              finding: event.finding,
              note: event.note,
              overrideReason: event.overrideReason?.trim() || null,
              autoEvidence: event.autoEvidence ? { met: event.autoEvidence.met, unmet: [...event.autoEvidence.unmet] } : null,
              negativeListFacts: [...(event.negativeListFacts ?? [])],
            },
          },
        },
        reviewers: addReviewer(context, event.actor.id),
      };
    }),
    recordFlag: assign(({ context, event }) => {
      assertEvent(event, 'FLAG_NEGATIVE_LIST');
      const ex = context.exemption!;
      return {
        exemption: {
          ...ex,
          flags: [
            ...ex.flags,
            {
              ...stamp(event),
              item: event.item,
              note: event.note,
              persons: [...(event.persons ?? [])],
              evidence: (event.evidence ?? []).map((x) => ({ title: x.title, ref: x.ref })),
              withdrawal: null,
            },
          ],
        },
        reviewers: addReviewer(context, event.actor.id),
      };
    }),
    recordFlagWithdrawal: assign(({ context, event }) => {
      assertEvent(event, 'WITHDRAW_FLAG');
      const ex = context.exemption!;
      const flags = ex.flags.map((f, i) => (i === event.flag ? { ...f, withdrawal: { ...stamp(event), reason: event.reason } } : f));
      return { exemption: { ...ex, flags }, reviewers: addReviewer(context, event.actor.id) };
    }),
    recordRecusal: assign(({ context, event }) => {
      assertEvent(event, 'RECUSE_FROM_PANEL');
      const ex = context.exemption!;
      const panel = ex.panel!;
      return {
        exemption: {
          ...ex,
          panel: {
            ...panel,
            // A member who recuses after voting withdraws the vote with it.
            votes: panel.votes.filter((v) => v.by !== event.actor.id),
            recusals: [...panel.recusals, { ...stamp(event), reason: event.reason }],
          },
        },
      };
    }),
    recordPanelVote: assign(({ context, event }) => {
      assertEvent(event, 'CAST_PANEL_VOTE');
      const ex = context.exemption!;
      const panel = ex.panel!;
      const votes = [
        ...panel.votes.filter((v) => v.by !== event.actor.id),
        { ...stamp(event), outcome: event.outcome, reasons: event.reasons },
      ];
      return { exemption: { ...ex, panel: { ...panel, votes } }, reviewers: addReviewer(context, event.actor.id) };
    }),
    recordReferralReceipt: assign(({ context, event }) => {
      assertEvent(event, 'RECEIVE_REFERRAL');
      const ex = context.exemption!;
      return {
        exemption: { ...ex, decision: { ...ex.decision!, referralReceipt: { ...stamp(event), note: event.note?.trim() || null } } },
        reviewers: addReviewer(context, event.actor.id),
      };
    }),
    recordDecision: assign(({ context, event }) => {
      assertEvent(event, 'DECIDE_EXEMPTION');
      // Counted by the server on the working-day calendar; decisions recorded before it, in calendar days.
      const noticeEndsAt = event.noticeEndsAt ?? addDays(event.at, event.noticePeriodDays);
      return {
        exemption: {
          ...context.exemption!,
          decision: {
            ...stamp(event),
            outcome: event.outcome,
            reasons: event.reasons,
            accountability:
              event.outcome === 'exempt'
                ? []
                : (event.accountability ?? []).map((a) => ({
                    userId: a.userId,
                    responsibility: a.responsibility,
                    ...(a.reduction ? { reduction: a.reduction } : {}),
                    ...(a.reason?.trim() ? { reason: a.reason.trim() } : {}),
                  })),
            noticeEndsAt,
            noticePeriodDays: event.noticePeriodDays,
            noticePolicyVersion: event.noticePolicyVersion ?? null,
            ...(event.calendarVersion ? { calendarVersion: event.calendarVersion } : {}),
            tolerance: event.tolerance ? { ...event.tolerance } : null,
            ...(context.exemption!.panel ? { panelVotes: context.exemption!.panel.votes.map((v) => ({ ...v })) } : {}),
            referralReceipt: null,
          },
        },
        reviewers: addReviewer(context, event.actor.id),
      };
    }),
    recordObjection: assign(({ context, event }) => {
      assertEvent(event, 'RAISE_OBJECTION');
      const ex = context.exemption!;
      return { exemption: { ...ex, objections: [...ex.objections, { ...stamp(event), text: event.text, ruling: null }] } };
    }),
    recordRuling: assign(({ context, event }) => {
      assertEvent(event, 'RULE_ON_OBJECTION');
      const ex = context.exemption!;
      const objections = ex.objections.map((o, i) =>
        i === event.objection ? { ...o, ruling: { ...stamp(event), upheld: event.upheld, note: event.note } } : o,
      );
      return { exemption: { ...ex, objections }, reviewers: addReviewer(context, event.actor.id) };
    }),
    reopenVerification: assign(({ context }) => {
      const ex = context.exemption!;
      return {
        exemption: {
          ...ex,
          findings: {},
          previousDecisions: ex.decision ? [...ex.previousDecisions, ex.decision] : ex.previousDecisions,
          previousFindings: [...ex.previousFindings, ex.findings],
          ...(ex.distinctions ? { distinctions: {}, previousDistinctions: [...(ex.previousDistinctions ?? []), ex.distinctions] } : {}),
          decision: null,
          // A new round: the panel votes again (recusals stand).
          panel: ex.panel ? { ...ex.panel, votes: [] } : null,
        },
      };
    }),
    recordConclusion: assign(({ context, event }) => {
      assertEvent(event, 'CONCLUDE_NOTICE');
      const appeal =
        event.appealEndsAt !== undefined
          ? {
              appealEndsAt: event.appealEndsAt,
              appealPeriodDays: event.appealPeriodDays ?? null,
              calendarVersion: event.calendarVersion ?? null,
            }
          : {};
      return {
        exemption: { ...context.exemption!, conclusion: { ...stamp(event), note: event.note?.trim() || null, ...appeal } },
        reviewers: addReviewer(context, event.actor.id),
      };
    }),
    recordDistinction: assign(({ context, event }) => {
      assertEvent(event, 'RECORD_DISTINCTION');
      const ex = context.exemption!;
      return {
        exemption: {
          ...ex,
          distinctions: {
            ...ex.distinctions,
            [event.distinction]: { ...stamp(event), side: event.side, reasons: event.reasons, evidence: evidenceOf(event.evidence) },
          },
        },
        reviewers: addReviewer(context, event.actor.id),
      };
    }),
    recordProposal: assign(({ context, event }) => {
      assertEvent(event, 'PROPOSE_ACCOUNTABILITY');
      const ex = context.exemption!;
      const hearing = {
        ...stamp(event),
        round: reviewRound(ex),
        proposedOutcome: event.outcome,
        persons: referrals(event.accountability),
        reasons: event.reasons,
        periodDays: event.periodDays,
        endsAt: event.endsAt,
        calendarVersion: event.calendarVersion,
        statements: {},
      };
      return { exemption: { ...ex, hearings: [...(ex.hearings ?? []), hearing] }, reviewers: addReviewer(context, event.actor.id) };
    }),
    recordStatement: assign(({ context, event }) => {
      assertEvent(event, 'SUBMIT_STATEMENT');
      const ex = context.exemption!;
      const hearings = [...(ex.hearings ?? [])];
      const last = hearings.length - 1;
      hearings[last] = {
        ...hearings[last],
        statements: {
          ...hearings[last].statements,
          [event.actor.id]: { ...stamp(event), statement: event.statement, evidence: evidenceOf(event.evidence) },
        },
      };
      return { exemption: { ...ex, hearings } };
    }),
    recordLegalityReview: assign(({ context, event }) => {
      assertEvent(event, 'LEGALITY_REVIEW');
      const ex = context.exemption!;
      const hearing = currentHearing(ex)!;
      const review = {
        ...stamp(event),
        round: reviewRound(ex),
        proposedOutcome: hearing.proposedOutcome,
        proposedAccountability: referrals(hearing.persons),
        lawfulBasis: event.lawfulBasis,
        procedure: event.procedure,
        proportionality: event.proportionality,
        conclusion: event.conclusion,
      };
      return {
        exemption: { ...ex, legalityReviews: [...(ex.legalityReviews ?? []), review] },
        reviewers: addReviewer(context, event.actor.id),
      };
    }),
    recordAppeal: assign(({ context, event }) => {
      assertEvent(event, 'FILE_APPEAL');
      const ex = context.exemption!;
      const rounds = [...(ex.appealRounds ?? [])];
      const appeal = { ...stamp(event), grounds: event.grounds, evidence: evidenceOf(event.evidence) };
      const open = openAppealRound(ex);
      // A proposal not yet in effect lapses: the body rules on every appeal of the round, this one too.
      if (open) rounds[rounds.length - 1] = { ...lapsePending(open, event, 'new_appeal'), appeals: [...open.appeals, appeal] };
      else rounds.push({ round: reviewRound(ex), appeals: [appeal], proposals: [], ruling: null });
      return { exemption: { ...ex, appealRounds: rounds } };
    }),
    /** RULE_ON_APPEAL: a ruling proposed to the body, the proposer's confirmation with it; it replaces a pending one. */
    recordAppealProposal: assign(({ context, event }) => {
      assertEvent(event, 'RULE_ON_APPEAL');
      const ex = context.exemption!;
      const rounds = [...(ex.appealRounds ?? [])];
      const open = lapsePending(openAppealRound(ex)!, event, 'replaced');
      const proposal = {
        ...stamp(event),
        result: event.result,
        reasons: event.reasons,
        members: [...event.members],
        ...(event.outcome !== undefined ? { outcome: event.outcome } : {}),
        ...(event.accountability !== undefined ? { accountability: referrals(event.accountability) } : {}),
        confirmations: [{ ...stamp(event), note: null }],
        lapsed: null,
      };
      rounds[rounds.length - 1] = { ...open, proposals: [...(open.proposals ?? []), proposal] };
      return { exemption: { ...ex, appealRounds: rounds }, reviewers: addReviewer(context, event.actor.id) };
    }),
    recordAppealConfirmation: assign(({ context, event }) => {
      assertEvent(event, 'CONFIRM_APPEAL_RULING');
      const ex = context.exemption!;
      const rounds = [...(ex.appealRounds ?? [])];
      const open = openAppealRound(ex)!;
      const proposals = [...open.proposals];
      const last = proposals.length - 1;
      proposals[last] = {
        ...proposals[last],
        confirmations: [...proposals[last].confirmations, { ...stamp(event), note: event.note?.trim() || null }],
      };
      rounds[rounds.length - 1] = { ...open, proposals };
      return { exemption: { ...ex, appealRounds: rounds }, reviewers: addReviewer(context, event.actor.id) };
    }),
    /** The agreed proposal takes effect: the ruling, and the decision as it now stands (the outcome before it kept). */
    adoptAppealRuling: assign(({ context, event }) => {
      const ex = context.exemption!;
      const decision = ex.decision!;
      const open = openAppealRound(ex)!;
      const p = pendingProposal(open)!;
      const result = appealOutcome(decision, p, integrityRulesApply(ex));
      if (typeof result === 'string') throw new Error(`adoptAppealRuling after appealBodyAgreed: ${result}`); // the guard rules it out
      const rounds = [...(ex.appealRounds ?? [])];
      const before = { outcome: decision.outcome, accountability: referrals(decision.accountability) };
      const confirmations = integrityRulesApply(ex) ? { confirmations: p.confirmations.map((c) => ({ ...c })) } : {};
      rounds[rounds.length - 1] = {
        ...open,
        ruling: {
          by: p.by,
          at: event.at,
          result: p.result,
          reasons: p.reasons,
          members: [...p.members],
          ...result,
          ...confirmations,
          before,
        },
      };
      return {
        exemption: {
          ...ex,
          appealRounds: rounds,
          decision: { ...decision, ...result, beforeAppeal: decision.beforeAppeal ?? before },
        },
      };
    }),
    reopenReview: assign(({ context, event }) => {
      assertEvent(event, 'REOPEN_REVIEW');
      const ex = context.exemption!;
      const reopenings = [
        ...(ex.reopenings ?? []),
        { ...stamp(event), ground: event.ground, reasons: event.reasons, evidence: evidenceOf(event.evidence) },
      ];
      const superseded = {
        ...ex.decision!,
        conclusion: ex.conclusion,
        supersededBy: { ...stamp(event), reopening: reopenings.length - 1 },
      };
      return {
        exemption: {
          ...ex,
          // The reopened round runs under the rules in force now; the earlier outcome is kept, marked superseded.
          rules: REVIEW_RULES_VERSION,
          dueProcess: cloneDueProcess(event.dueProcess),
          findings: {},
          previousFindings: [...ex.previousFindings, ex.findings],
          distinctions: {},
          previousDistinctions: [...(ex.previousDistinctions ?? []), ex.distinctions ?? {}],
          hearings: ex.hearings ?? [],
          legalityReviews: ex.legalityReviews ?? [],
          appealRounds: ex.appealRounds ?? [],
          decision: null,
          previousDecisions: [...ex.previousDecisions, superseded],
          conclusion: null,
          panel: ex.panel ? { ...ex.panel, votes: [] } : null,
          reopenings,
        },
        reviewers: addReviewer(context, event.actor.id),
      };
    }),
  },
}).createMachine({
  id: 'case',
  initial: 'draft',
  context: ({ input }) => ({
    ownerId: input.ownerId,
    team: [input.ownerId],
    reviewers: [],
    teamRequests: [],
    teamFrozen: false,
    requestedAmountFen: input.requestedAmountFen,
    screening: null,
    ddReports: {},
    riskOpinion: null,
    round: 1,
    votes: [],
    committeeDecision: null,
    signing: null,
    funding: null,
    monitoring: { reports: [], riskGrade: 'normal', gradeChangedAt: null },
    exit: null,
    exemption: null,
  }),
  on: {
    ADD_TEAM_MEMBER: [
      { guard: 'teamOpen', actions: 'addTeamMember' },
      { guard: 'ruleOk', actions: 'requestTeamChange' },
    ],
    DECIDE_TEAM_CHANGE: { guard: 'ruleOk', actions: 'decideTeamChange' },
  },
  states: {
    draft: {
      description: '项目储备',
      on: { SUBMIT: { target: 'screening' } },
    },
    screening: {
      description: '立项审查',
      on: {
        APPROVE: { target: 'dueDiligence', actions: 'recordScreening' },
        RETURN: { target: 'draft', actions: 'recordReturn' },
        REJECT: { target: 'rejected', actions: 'recordScreening' },
      },
    },
    dueDiligence: {
      description: '尽职调查',
      always: { guard: 'allDdReportsIn', target: 'riskReview' },
      on: { SUBMIT_DD_REPORT: { actions: 'recordDdReport' } },
    },
    riskReview: {
      description: '风控审查',
      on: {
        RISK_OPINION: { target: 'committee', actions: 'recordRiskOpinion' },
        RETURN: { target: 'dueDiligence', actions: 'reopenDueDiligence' },
      },
    },
    committee: {
      description: '投资决策委员会',
      on: {
        CAST_VOTE: { guard: 'ruleOk', actions: 'recordVote' },
        CLOSE_VOTING: [
          { guard: 'votingApproved', target: 'execution', actions: 'recordCommitteeDecision' },
          { guard: 'votingNotApproved', target: 'rejected', actions: 'recordCommitteeDecision' },
        ],
        RETURN: { target: 'dueDiligence', actions: 'startNewRound' },
      },
    },
    execution: {
      description: '签约交割',
      on: {
        RECORD_SIGNING: { guard: 'ruleOk', actions: 'recordSigning' },
        RECORD_FUNDING: { guard: 'ruleOk', target: 'monitoring', actions: 'recordFunding' },
      },
    },
    monitoring: {
      description: '投后管理',
      on: {
        SUBMIT_MONITORING_REPORT: { actions: 'recordMonitoringReport' },
        CLASSIFY_RISK: { actions: 'recordRiskGrade' },
        START_EXIT: { target: 'exiting', actions: 'recordExitStart' },
        WRITE_OFF: { target: 'exemptionReview', actions: 'recordWriteOff' },
      },
    },
    exiting: {
      description: '退出',
      on: {
        CONFIRM_EXIT_AMOUNT: { guard: 'ruleOk', actions: 'recordExitConfirmation' },
        COMPLETE_EXIT: [
          { guard: 'exitCoversInvestment', target: 'closed', actions: 'recordExit' },
          { guard: 'ruleOk', target: 'exemptionReview', actions: 'recordExit' },
        ],
      },
    },
    exemptionReview: {
      description: '尽职免责审查',
      initial: 'application',
      states: {
        application: {
          description: '免责申请',
          on: { FILE_EXEMPTION: { target: 'verification', actions: 'recordApplication' } },
        },
        verification: {
          description: '核查认定',
          always: { guard: 'allCriteriaVerified', target: 'decision' },
          on: {
            VERIFY_CRITERION: { guard: 'ruleOk', actions: 'recordFinding' },
            FLAG_NEGATIVE_LIST: { guard: 'ruleOk', actions: 'recordFlag' },
            WITHDRAW_FLAG: { guard: 'ruleOk', actions: 'recordFlagWithdrawal' },
            RECORD_DISTINCTION: { guard: 'ruleOk', actions: 'recordDistinction' },
          },
        },
        decision: {
          description: '免责决定',
          on: {
            DECIDE_EXEMPTION: { guard: 'ruleOk', target: 'publicNotice', actions: 'recordDecision' },
            // The last finding moves the review here at once: a negative-list item can still be flagged
            // until the decision, whatever order the verifiers worked in.
            FLAG_NEGATIVE_LIST: { guard: 'ruleOk', actions: 'recordFlag' },
            WITHDRAW_FLAG: { guard: 'ruleOk', actions: 'recordFlagWithdrawal' },
            RECUSE_FROM_PANEL: { guard: 'ruleOk', actions: 'recordRecusal' },
            CAST_PANEL_VOTE: { guard: 'ruleOk', actions: 'recordPanelVote' },
            // Machine version 5: 三个区分开来, the hearing (申辩) and the legality review (合法性审查).
            RECORD_DISTINCTION: { guard: 'ruleOk', actions: 'recordDistinction' },
            PROPOSE_ACCOUNTABILITY: { guard: 'ruleOk', actions: 'recordProposal' },
            SUBMIT_STATEMENT: { guard: 'ruleOk', actions: 'recordStatement' },
            LEGALITY_REVIEW: { guard: 'ruleOk', actions: 'recordLegalityReview' },
          },
        },
        publicNotice: {
          description: '公示',
          on: {
            RAISE_OBJECTION: { actions: 'recordObjection' },
            RULE_ON_OBJECTION: [
              { guard: 'objectionUpheld', target: 'verification', actions: ['recordRuling', 'reopenVerification'] },
              { guard: 'ruleOk', actions: 'recordRuling' },
            ],
            RECEIVE_REFERRAL: { guard: 'ruleOk', actions: 'recordReferralReceipt' },
            CONCLUDE_NOTICE: { guard: 'ruleOk', target: '#case.closed', actions: 'recordConclusion' },
          },
        },
        appeal: {
          description: '申诉复核',
          // The ruling takes effect once the body agreed on it (rules 7: every member named confirmed it).
          always: { guard: 'appealBodyAgreed', target: '#case.closed', actions: 'adoptAppealRuling' },
          on: {
            FILE_APPEAL: { guard: 'ruleOk', actions: 'recordAppeal' },
            RULE_ON_APPEAL: { guard: 'ruleOk', actions: 'recordAppealProposal' },
            CONFIRM_APPEAL_RULING: { guard: 'ruleOk', actions: 'recordAppealConfirmation' },
          },
        },
      },
    },
    rejected: { description: '否决', type: 'final' },
    // Closed, but not final for the machine: a referred person may appeal within the period, and
    // discipline inspection may reopen the review at any time (lifetime accountability, 终身问责).
    closed: {
      description: '结案',
      on: {
        FILE_APPEAL: { guard: 'ruleOk', target: '#case.exemptionReview.appeal', actions: 'recordAppeal' },
        REOPEN_REVIEW: { guard: 'ruleOk', target: '#case.exemptionReview.verification', actions: 'reopenReview' },
      },
    },
  },
});

export type CaseMachine = typeof caseMachine;
