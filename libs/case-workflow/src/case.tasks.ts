import {
  currentHearing,
  dueProcessApplies,
  hasVotedThisRound,
  integrityRulesApply,
  missingWorkstreams,
  openAppealRound,
  pendingObjections,
  reviewRound,
  unverifiedCriteria,
} from './case.rules';
import { DISTINCTION_CODES } from './due-process/three-distinctions';
import { pendingProposal, unconfirmed } from './due-process/appeal';
import { legalityDecisionProblem } from './due-process/legality-review';
import type { CaseContext } from './case.types';
import { recusalReason, tallyPanel } from './panel.rules';
import type { CaseSnapshot } from './case.snapshot';
import { statePath } from './case.snapshot';
import type { Role } from './roles';
import { addDays } from './calendar/durations';

/** A piece of work the case waits on, in the queue of the role that acts next. */
export interface TaskSpec {
  /** Unique among a case's open tasks: `kind` or `kind:subject`. */
  key: string;
  kind: string;
  queue: Role;
  assigneeId: string | null;
  /** A fixed due time; when absent the queue's SLA applies from the moment the task opens. */
  dueAt?: string;
}

export interface TaskInputs {
  /** Users who may vote (committee members and the chair). */
  committeeMembers: readonly { id: string; chair: boolean }[];
  /** Users holding a role of the review's decision panel (only needed while the review is in `decision`). */
  panelCandidates?: readonly { id: string; roles: readonly string[] }[];
  /** The queue that verifies each criterion (from the criteria policy). */
  criterionQueue: (criterion: string) => Role;
  monitoringCadenceDays: number;
  /** The queue of a person heard (申辩): their own, by their role (only needed while a hearing is open). */
  personQueue?: (userId: string) => Role;
  /** The queue of an appeal body member: the first of `roles` they hold (only needed while a ruling waits for confirmations). */
  memberQueue?: (userId: string, roles: readonly Role[]) => Role;
}

/**
 * The tasks that should be open for a case in this snapshot. The service opens the ones missing and
 * completes the ones no longer wanted, in the transaction of the event that changed the snapshot.
 */
export function desiredTasks(snapshot: CaseSnapshot, inputs: TaskInputs): TaskSpec[] {
  if (snapshot.status !== 'active') return [];
  // A team change asked for after the team froze waits on a department head, whatever the state.
  const teamChanges = snapshot.context.teamRequests.map((r): TaskSpec => ({
    key: `team_change:${r.userId}`,
    kind: 'team_change',
    queue: 'department_head',
    assigneeId: null,
  }));
  return [...stateTasks(snapshot, inputs), ...teamChanges];
}

type TaskOf = (kind: string, queue: Role, assigneeId: string | null, subject?: string, dueAt?: string) => TaskSpec;

/**
 * Machine version 5's steps before the decision: a finding on each distinction (三个区分开来) still
 * missing, each person heard who has not answered (in their own queue, due at the end of the hearing
 * period), and the legality review of the current proposal until a favourable one is on record.
 */
function dueProcessTasks(ctx: CaseContext, inputs: TaskInputs, task: TaskOf): TaskSpec[] {
  const ex = ctx.exemption;
  if (!ex || !dueProcessApplies(ex)) return [];
  const round = reviewRound(ex);
  const distinctions = DISTINCTION_CODES.filter((c) => !ex.distinctions?.[c]).map((c) =>
    task('record_distinction', 'compliance_officer', null, `${round}:${c}`),
  );
  const hearing = currentHearing(ex);
  if (!hearing) return distinctions;
  const index = String(ex.hearings!.length);
  const statements = hearing.persons
    .filter((p) => !hearing.statements[p.userId])
    .map((p) =>
      task('hearing_statement', inputs.personQueue?.(p.userId) ?? 'investment_manager', p.userId, `${index}:${p.userId}`, hearing.endsAt),
    );
  const proposal = { outcome: hearing.proposedOutcome, accountability: hearing.persons };
  const legality = legalityDecisionProblem(ex.legalityReviews ?? [], round, proposal, integrityRulesApply(ex))
    ? [task('legality_review', 'legal_officer', null, index)]
    : [];
  return [...distinctions, ...statements, ...legality];
}

function stateTasks(snapshot: CaseSnapshot, inputs: TaskInputs): TaskSpec[] {
  const ctx = snapshot.context;
  const owner = ctx.ownerId;
  const task = (kind: string, queue: Role, assigneeId: string | null, subject?: string, dueAt?: string): TaskSpec => ({
    key: subject === undefined ? kind : `${kind}:${subject}`,
    kind,
    queue,
    assigneeId,
    ...(dueAt ? { dueAt } : {}),
  });
  switch (statePath(snapshot.value)) {
    case 'draft':
      return [task('submit_proposal', 'investment_manager', owner)];
    case 'screening':
      return [task('screening_review', 'department_head', null)];
    case 'dueDiligence':
      return missingWorkstreams(ctx).map((w) =>
        w === 'legal' ? task('dd_report', 'legal_officer', null, w) : task('dd_report', 'investment_manager', owner, w),
      );
    case 'riskReview':
      return [task('risk_review', 'risk_officer', null)];
    case 'committee': {
      const team = new Set([owner, ...ctx.team]);
      const votes = inputs.committeeMembers
        .filter((m) => !team.has(m.id) && !hasVotedThisRound(ctx, m.id))
        .map((m) => task('vote', m.chair ? 'committee_chair' : 'committee_member', m.id, `${ctx.round}:${m.id}`));
      return [...votes, task('close_voting', 'committee_chair', null, String(ctx.round))];
    }
    case 'execution':
      return [ctx.signing ? task('record_funding', 'investment_manager', owner) : task('record_signing', 'investment_manager', owner)];
    case 'monitoring': {
      const reports = ctx.monitoring.reports;
      const since = reports.length ? reports[reports.length - 1].at : (ctx.funding?.at ?? new Date(0).toISOString());
      return [
        task('monitoring_report', 'investment_manager', owner, String(reports.length + 1), addDays(since, inputs.monitoringCadenceDays)),
      ];
    }
    case 'exiting':
      return [
        ...(ctx.exit?.confirmation ? [] : [task('confirm_exit_amount', 'department_head', null)]),
        task('complete_exit', 'investment_manager', owner),
      ];
    case 'exemptionReview.application':
      return [task('file_exemption', 'investment_manager', owner)];
    case 'exemptionReview.verification':
      return [
        ...unverifiedCriteria(ctx).map((c) => task('verify_criterion', inputs.criterionQueue(c), null, c)),
        ...dueProcessTasks(ctx, inputs, task),
      ];
    case 'exemptionReview.decision': {
      const panel = ctx.exemption?.panel;
      const dueProcess = dueProcessTasks(ctx, inputs, task);
      if (!panel) return [...dueProcess, task('decide_exemption', 'committee_chair', null)];
      // One vote task per panel member not recused who has not voted; the decision once an outcome carried.
      const round = String(ctx.exemption!.previousDecisions.length + 1);
      const votes = (inputs.panelCandidates ?? [])
        .filter((u) => recusalReason(ctx, u.id) === null && !panel.votes.some((v) => v.by === u.id))
        .map((u) =>
          task('panel_vote', (panel.rule.roles.find((r) => u.roles.includes(r)) ?? panel.rule.roles[0]) as Role, u.id, `${round}:${u.id}`),
        );
      const carried = tallyPanel(panel.votes, panel.rule).carried;
      return [...dueProcess, ...votes, ...(carried ? [task('decide_exemption', panel.rule.roles[0] as Role, null, round)] : [])];
    }
    case 'exemptionReview.appeal': {
      const ex = ctx.exemption!;
      const open = openAppealRound(ex);
      if (!open) return [];
      const roles = (ex.dueProcess?.appeal.roles ?? ['department_head']) as Role[];
      const index = String(ex.appealRounds!.length);
      const pending = pendingProposal(open);
      if (!pending) return [task('rule_on_appeal', roles[0], null, index)];
      // Machine version 7: each member the proposed ruling names confirms it, in their own queue (by their role).
      const proposal = String(open.proposals.length);
      return unconfirmed(pending).map((m) =>
        task('confirm_appeal_ruling', inputs.memberQueue?.(m, roles) ?? roles[0], m, `${index}:${proposal}:${m}`),
      );
    }
    case 'exemptionReview.publicNotice': {
      const decision = ctx.exemption?.decision;
      const rulings = pendingObjections(ctx).map((o) => task('rule_on_objection', 'compliance_officer', null, String(o.index)));
      // A not_exempt or partial decision refers people to discipline inspection (纪检监察): one task per decision.
      const referral =
        decision &&
        decision.outcome !== 'exempt' &&
        decision.accountability.length > 0 &&
        !decision.referralReceipt &&
        (ctx.exemption?.rules ?? 0) >= 4
          ? [task('receive_referral', 'discipline_officer', null, String(ctx.exemption!.previousDecisions.length + 1))]
          : [];
      return [...rulings, ...referral, task('conclude_notice', 'compliance_officer', null, undefined, decision?.noticeEndsAt)];
    }
    default:
      return [];
  }
}
