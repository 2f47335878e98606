import { CASE_ACTORS, REVIEWING_ROLES, type Actor, type Role } from './roles';

/**
 * Need-to-know (the one place that says who may read a case): a case, its history, its exemption
 * record, evidence and documents are shown to the people with a reason to see them, and to everyone
 * else the case does not exist (404). Beside case.permissions.ts, which says who may act.
 *
 * - the oversight roles: audit, compliance and discipline inspection read every case;
 * - the case team: the owner and the team members;
 * - whoever acted on it: anyone with an entry on its chain (an event, a vote, a claim, an upload);
 * - whoever it waits on: an open task assigned to the person, or in (or escalated to) the queue of a
 *   reviewing role they hold: department heads see the cases in screening and their team-change and
 *   escalated tasks, risk officers the cases in risk review, legal officers the legal due diligence,
 *   committee members and the chair the cases in committee, verifiers the criteria to verify, the
 *   panel's roles the reviews in decision. A personal task (PERSONAL_TASK_KINDS: a hearing statement,
 *   which a person answers for their own conduct, not for their role) opens the case to its assignee
 *   only: its queue is where the person finds it, not a reason for their colleagues to read the case;
 * - the roles that act on a state without a task: department heads (write-off, 核销) and risk officers
 *   (risk classification, 五级分类) read the cases in monitoring; during the public notice (公示) every
 *   staff member may read the case, since anyone not on the team may object to it.
 *
 * Auditors and administrators have no queue; administrators read no case at all.
 */
export const CASE_OVERSIGHT_ROLES: readonly Role[] = ['auditor', 'compliance_officer', 'discipline_officer'];

/**
 * Tasks a person does in their own name, not in their role's: the hearing statement (申辩) of a person
 * proposed for accountability. The task sits in the queue of the person's role so that they find it,
 * but only its assignee sees it there and only they are let into the case by it.
 */
export const PERSONAL_TASK_KINDS: readonly string[] = ['hearing_statement'];

/**
 * Tasks the machine assigns to the person it names, who alone can do them: the hearing statement and
 * a member's confirmation of a proposed appeal ruling. They cannot be released to the queue (nobody
 * else could act on them, and a personal one would be seen by nobody).
 */
export const NAMED_TASK_KINDS: readonly string[] = ['hearing_statement', 'confirm_appeal_ruling'];

/** States whose cases a role reads although no task names it (it may act on them there). */
export const STATE_READERS: Readonly<Record<string, readonly Role[]>> = {
  monitoring: ['department_head', 'risk_officer'],
  'exemptionReview.publicNotice': CASE_ACTORS,
};

/** What a person may read, as data: the rule below, and the case list's SQL filter, both use it. */
export type CaseReadScope =
  | { all: true }
  | {
      all: false;
      userId: string;
      /** The review queues (roles) whose open and escalated tasks open their case to this person. */
      queues: Role[];
      /** Task kinds that open their case to their assignee only, whatever their queue. */
      personalTaskKinds: readonly string[];
      /** The states whose cases this person reads without a task. */
      states: string[];
    };

export function caseReadScope(actor: Actor): CaseReadScope {
  if (actor.roles.some((r) => CASE_OVERSIGHT_ROLES.includes(r))) return { all: true };
  return {
    all: false,
    userId: actor.id,
    queues: actor.roles.filter((r) => REVIEWING_ROLES.includes(r)),
    personalTaskKinds: PERSONAL_TASK_KINDS,
    states: Object.entries(STATE_READERS)
      .filter(([, roles]) => roles.some((r) => actor.roles.includes(r)))
      .map(([state]) => state),
  };
}

/** The facts about a case the rule looks at. */
export interface CaseReadFacts {
  /** The state path (`exemptionReview.decision`). */
  state: string;
  ownerId: string;
  team: readonly string[];
  openTasks: readonly { kind: string; queue: string; assigneeId: string | null; escalatedTo: string | null }[];
  /** Whether the person has an entry on the case's chain (the caller may first ask with false, and read the history only when that refuses). */
  actedOnIt: boolean;
}

/** Whether the actor may know of the case (else it is answered as not found). */
export function mayReadCase(actor: Actor, facts: CaseReadFacts): boolean {
  const scope = caseReadScope(actor);
  if (scope.all) return true;
  const me = scope.userId;
  if (facts.ownerId === me || facts.team.includes(me)) return true;
  if (scope.states.includes(facts.state)) return true;
  const queue = (q: string | null) => q !== null && (scope.queues as string[]).includes(q);
  const waitsOnMe = (t: CaseReadFacts['openTasks'][number]) =>
    t.assigneeId === me || (!scope.personalTaskKinds.includes(t.kind) && (queue(t.queue) || queue(t.escalatedTo)));
  if (facts.openTasks.some(waitsOnMe)) return true;
  return facts.actedOnIt;
}
