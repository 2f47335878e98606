import { createActor, getNextTransitions } from 'xstate';
import { caseMachine } from './case.machine';
import { checkPermission, NO_INPUTS, type DecisionInputs } from './case.permissions';
import {
  checkRule,
  flaggedPersons,
  missingPeople,
  missingWorkstreams,
  pendingObjections,
  standingFlags,
  unverifiedCriteria,
} from './case.rules';
import { tallyPanel } from './panel.rules';
import { DISTINCTION_CODES } from './due-process/three-distinctions';
import type { CaseSnapshot } from './case.snapshot';
import { statePath } from './case.snapshot';
import type { CaseEvent, CaseEventType, ReviewPolicyRef } from './case.types';
import { CASE_EVENT_TYPES } from './case.types';
import { DomainErrorCode, DomainException } from './domain.exception';
import type { CommitteeRule } from './policy.types';
import type { Actor } from './roles';
import { hasRole } from './roles';

export interface Decision {
  next: CaseSnapshot;
  fromState: string;
  toState: string;
}

const EVENT_TYPES: ReadonlySet<string> = new Set(CASE_EVENT_TYPES);
const isCaseEventType = (type: string): type is CaseEventType => EVENT_TYPES.has(type);

/**
 * Event types the current state has a transition for (whatever the guards say). Only events a client
 * can send: the automatic (eventless) transitions, whose event type is empty, are not among them.
 */
export function acceptedEventTypes(snapshot: CaseSnapshot): Set<CaseEventType> {
  if (snapshot.status !== 'active') return new Set();
  const types: string[] = getNextTransitions(snapshot).map((t) => String(t.eventType));
  return new Set(types.filter(isCaseEventType));
}

/**
 * The scope `caseMachine.transition` runs in. XState's pure `transition()` builds a throwaway actor,
 * and with it the machine's initial state, on every call: a measurable share of an event. The case
 * machine's actions are all pure `assign`s, so one inert scope (made once, executing nothing, as
 * `transition()` does) serves every decision with the same result.
 */
type CaseScope = Parameters<typeof caseMachine.transition>[2];
let scope: CaseScope | undefined;

function inertScope(): CaseScope {
  if (scope) return scope;
  const self = createActor(caseMachine, {
    input: { ownerId: '00000000-0000-4000-8000-000000000000', requestedAmountFen: 0 },
  });
  scope = {
    self,
    id: '',
    sessionId: '',
    system: self.system,
    logger: () => undefined,
    defer: () => undefined,
    emit: () => undefined,
    stopChild: () => undefined,
    actionExecutor: () => undefined,
  };
  return scope;
}

/**
 * Decides one event: the state must accept it (else 422), the actor must be allowed to send it (else
 * 403), its rule must hold (else 422 naming the rule), and the people it names must exist (else 422).
 * Every rule and permission of an event is checked here. Pure: no I/O, nothing persisted; `inputs`
 * are the people and policies the service loaded for it.
 */
export function decide(snapshot: CaseSnapshot, event: CaseEvent, inputs: DecisionInputs = NO_INPUTS): Decision {
  const fromState = statePath(snapshot.value);
  const accepted = acceptedEventTypes(snapshot);
  const refuse = (code: DomainErrorCode, message: string) => new DomainException(code, message, { state: fromState, event: event.type });
  if (!accepted.has(event.type)) {
    const allowed = [...accepted].sort().join(', ');
    throw refuse(
      DomainErrorCode.EventNotAllowed,
      snapshot.status !== 'active'
        ? `The case is ${fromState}, a final state: no further events are accepted.`
        : `${event.type} is not allowed while the case is in ${fromState}; events accepted here: ${allowed || 'none'}.`,
    );
  }
  const refusal = checkPermission(snapshot.context, event.actor, event, fromState, inputs);
  if (refusal) throw refuse(DomainErrorCode.Forbidden, refusal);
  if (!snapshot.can(event)) {
    throw refuse(
      DomainErrorCode.RuleViolated,
      checkRule(snapshot.context, event) ?? `${event.type} cannot be taken in ${fromState} with this payload.`,
    );
  }
  const missing = missingPeople(event, inputs.people);
  if (missing) throw refuse(DomainErrorCode.RuleViolated, missing);
  const next = applyEvent(snapshot, event);
  return { next, fromState, toState: statePath(next.value) };
}

/**
 * The machine's next snapshot for an event, nothing checked beyond the machine's own guards (an event
 * a guard refuses leaves the snapshot as it was). `decide` calls it once every rule has passed; a
 * replay of the history calls it for events the chain recorded as accepted.
 */
export function applyEvent(snapshot: CaseSnapshot, event: CaseEvent): CaseSnapshot {
  return caseMachine.transition(snapshot, event, inertScope());
}

/** The policy values the server adds to events, needed to probe what an actor could do now. */
export interface ProbePolicies {
  committee: CommitteeRule;
  review: ReviewPolicyRef['review'];
  noticePeriodDays: number;
}

const PROBE_EVIDENCE = [{ title: 'probe', ref: 'probe' }];

const PROBE_USER = '00000000-0000-4000-8000-000000000000';

/** A representative event of the type, from this actor, used to ask the machine whether it could be sent. */
function probeEvent(type: CaseEventType, snapshot: CaseSnapshot, actor: Actor, at: string, p: ProbePolicies): CaseEvent | null {
  const ctx = snapshot.context;
  const meta = { actor, at };
  switch (type) {
    case 'SUBMIT':
    case 'CONCLUDE_NOTICE':
      return { type, ...meta };
    case 'APPROVE':
      return { type, ...meta };
    case 'RETURN':
    case 'REJECT':
    case 'WRITE_OFF':
      return { type, reason: 'probe', review: p.review, ...meta };
    case 'SUBMIT_DD_REPORT': {
      const missing = missingWorkstreams(ctx);
      const workstream = hasRole(actor, 'legal_officer') && missing.includes('legal') ? 'legal' : missing.find((w) => w !== 'legal');
      return workstream ? { type, workstream, conclusion: 'probe', findings: 'probe', ...meta } : null;
    }
    case 'RISK_OPINION':
      return { type, opinion: 'pass', reason: 'probe', ...meta };
    case 'CAST_VOTE':
      return { type, vote: 'abstain', reason: 'probe', ...meta };
    case 'CLOSE_VOTING':
      return { type, rule: p.committee, overrideReason: 'probe', ...meta };
    case 'RECORD_SIGNING':
      return { type, signedAt: at, ...meta };
    case 'RECORD_FUNDING':
      return { type, amountFen: 1, fundedAt: at, ...meta };
    case 'SUBMIT_MONITORING_REPORT':
      return { type, period: 'probe', summary: 'probe', ...meta };
    case 'CLASSIFY_RISK':
      return { type, grade: 'normal', reason: 'probe', ...meta };
    case 'START_EXIT':
      return { type, channel: 'transfer', ...meta };
    case 'COMPLETE_EXIT':
      return { type, proceedsFen: ctx.exit?.confirmation?.proceedsFen ?? 0, exitedAt: at, review: p.review, ...meta };
    case 'CONFIRM_EXIT_AMOUNT':
      return { type, proceedsFen: 0, sourceDocument: 'probe', ...meta };
    case 'ADD_TEAM_MEMBER':
      return { type, userId: PROBE_USER, reason: 'probe', ...meta };
    case 'DECIDE_TEAM_CHANGE': {
      const request = ctx.teamRequests[0];
      return request ? { type, userId: request.userId, approved: false, note: 'probe', ...meta } : null;
    }
    case 'FILE_EXEMPTION':
      return {
        type,
        lossCause: 'market',
        statement: 'probe',
        evidence: [],
        declarations: { noPersonalGain: true, relatedPartiesDisclosed: true, informationComplete: true },
        ...meta,
      };
    case 'VERIFY_CRITERION': {
      // A criterion this actor may verify (by the verifier roles frozen into the review), unverified first.
      const defs = ctx.exemption?.criteriaDefinitions;
      const mine = (c: string) => !defs || defs.some((d) => d.code === c && d.verifierRoles.some((r) => actor.roles.includes(r as never)));
      const criterion = unverifiedCriteria(ctx).find(mine) ?? ctx.exemption?.criteria.find(mine);
      return criterion ? { type, criterion, finding: 'not_met', note: 'probe', ...meta } : null;
    }
    case 'FLAG_NEGATIVE_LIST': {
      const item = ctx.exemption?.negativeListItems[0];
      return item ? { type, item, note: 'probe', persons: [ctx.ownerId], evidence: [{ title: 'probe', ref: 'probe' }], ...meta } : null;
    }
    case 'WITHDRAW_FLAG': {
      const flag = standingFlags(ctx).find((f) => f.by !== actor.id);
      return flag ? { type, flag: flag.index, reason: 'probe', ...meta } : null;
    }
    case 'RECUSE_FROM_PANEL':
      return { type, reason: 'probe', ...meta };
    case 'CAST_PANEL_VOTE':
      return { type, outcome: 'not_exempt', reasons: 'probe', ...meta };
    case 'RECEIVE_REFERRAL':
      return { type, ...meta };
    case 'DECIDE_EXEMPTION': {
      // The outcome the panel carried (or not_exempt), referring the owner and everyone a standing flag names.
      const panel = ctx.exemption?.panel;
      const outcome = panel ? tallyPanel(panel.votes, panel.rule).carried : 'not_exempt';
      if (!outcome) return null;
      const referred = [...new Set([ctx.ownerId, ...flaggedPersons(ctx)])];
      const accountability =
        outcome === 'exempt'
          ? undefined
          : referred.map((userId) => ({
              userId,
              responsibility: 'direct' as const,
              ...(outcome === 'partial' ? { reduction: 'lighter' as const, reason: 'probe' } : {}),
            }));
      return { type, outcome, reasons: 'probe', accountability, noticePeriodDays: p.noticePeriodDays, ...meta };
    }
    case 'RAISE_OBJECTION':
      return { type, text: 'probe', ...meta };
    case 'RULE_ON_OBJECTION': {
      const pending = pendingObjections(ctx)[0];
      return pending ? { type, objection: pending.index, upheld: false, note: 'probe', ...meta } : null;
    }
    case 'RECORD_DISTINCTION': {
      const ex = ctx.exemption;
      const distinction = ex ? DISTINCTION_CODES.find((c) => !ex.distinctions?.[c]) : undefined;
      return distinction ? { type, distinction, side: 'tolerable', reasons: 'probe', evidence: PROBE_EVIDENCE, ...meta } : null;
    }
    case 'PROPOSE_ACCOUNTABILITY': {
      const referred = [...new Set([ctx.ownerId, ...flaggedPersons(ctx)])];
      const accountability = referred.map((userId) => ({ userId, responsibility: 'direct' as const }));
      return {
        type,
        outcome: 'not_exempt',
        accountability,
        reasons: 'probe',
        periodDays: 0,
        endsAt: at,
        calendarVersion: 'probe',
        ...meta,
      };
    }
    case 'SUBMIT_STATEMENT':
      return { type, statement: 'probe', evidence: [], ...meta };
    case 'LEGALITY_REVIEW':
      return { type, lawfulBasis: 'probe', procedure: 'probe', proportionality: 'probe', conclusion: 'favourable', ...meta };
    case 'FILE_APPEAL':
      return { type, grounds: 'probe', evidence: [], ...meta };
    case 'RULE_ON_APPEAL': {
      // The actor and as many stand-ins as the body needs: whether the actor could sit on it.
      const size = ctx.exemption?.dueProcess?.appeal.minMembers ?? 1;
      const members = [
        actor.id,
        ...Array.from({ length: Math.max(0, size - 1) }, (_, i) => `${PROBE_USER.slice(0, -2)}${String(i + 1).padStart(2, '0')}`),
      ];
      return { type, result: 'upheld', reasons: 'probe', members, ...meta };
    }
    case 'CONFIRM_APPEAL_RULING':
      return { type, ...meta };
    case 'REOPEN_REVIEW':
      return { type, ground: 'new_evidence', reasons: 'probe', evidence: PROBE_EVIDENCE, dueProcess: p.review.dueProcess!, ...meta };
  }
}

/**
 * The events this actor could send now: accepted by the machine in its current state, allowed by the
 * role and separation-of-duties rules, and, where the transition has a guard, passing it (`can`).
 * Computed, never a hand-kept list. Cheap: one walk of the current state's transitions; only the event
 * types the state accepts are probed, and the machine is asked only about guarded ones.
 */
export function availableEvents(snapshot: CaseSnapshot, actor: Actor, policies: ProbePolicies, at: string): CaseEventType[] {
  if (snapshot.status !== 'active') return [];
  const guarded = new Map<string, boolean>();
  for (const t of getNextTransitions(snapshot)) guarded.set(String(t.eventType), (guarded.get(String(t.eventType)) ?? false) || !!t.guard);
  const state = statePath(snapshot.value);
  return CASE_EVENT_TYPES.filter((type) => {
    const hasGuard = guarded.get(type);
    if (hasGuard === undefined) return false;
    const probe = probeEvent(type, snapshot, actor, at, policies);
    return probe !== null && checkPermission(snapshot.context, actor, probe, state) === null && (!hasGuard || snapshot.can(probe));
  });
}
