import { currentHearing, firstDecisionSitters, investmentDecisionParticipants, openAppealRound, reviewActors } from './case.rules';
import { pendingProposal } from './due-process/appeal';
import { legalityReviewerProblem } from './due-process/legality-review';
import { recusalReason, sitsOnPanel } from './panel.rules';
import type { CaseContext, CaseEvent, CaseEventType } from './case.types';
import type { CriterionDefinition } from './policy.types';
import type { Actor, Role } from './roles';
import { CASE_ACTORS, hasRole, REVIEWING_ROLES, ROLE_TITLES_ZH } from './roles';

/**
 * The one place that says who may act on a case: the roles of the contract and the
 * separation-of-duties rules, for creating a case and for every event. The API's route guards only
 * repeat these lists as a first, coarse gate.
 */

/** Who may propose a case (POST /api/cases). */
export const CASE_CREATORS: readonly Role[] = ['investment_manager'];

/**
 * The people and policies a permission may need beyond the case: the people the event names (as
 * loaded, absent when no such active user exists) and the criteria file in force now (the verifier
 * roles of reviews opened before machine version 3, which did not freeze them).
 */
export interface DecisionInputs {
  people: ReadonlyMap<string, { username: string; roles: readonly Role[] }>;
  currentCriteria: readonly CriterionDefinition[];
}

export const NO_INPUTS: DecisionInputs = { people: new Map(), currentCriteria: [] };

/**
 * Whether the actor may send the event: null when they may, or a sentence saying why not (a 403).
 */
export type Permission = (ctx: CaseContext, actor: Actor, event: CaseEvent, statePath: string, inputs: DecisionInputs) => string | null;

const isOwner = (ctx: CaseContext, actor: Actor) => ctx.ownerId === actor.id;
const isTeam = (ctx: CaseContext, actor: Actor) => isOwner(ctx, actor) || ctx.team.includes(actor.id);

const owner: Permission = (ctx, actor) => (isOwner(ctx, actor) ? null : 'Only the case owner may do this.');

const ownerOrTeam: Permission = (ctx, actor) =>
  isTeam(ctx, actor) ? null : 'Only the case owner or a member of the case team may do this.';

/**
 * Nobody holding a reviewing role may join a case team, at any stage: they would review their own
 * team's work, or be disqualified from a step the case still needs (e.g. a voter taken out of the quorum).
 */
function reviewingRoleRefusal(inputs: DecisionInputs, userId: string): string | null {
  const person = inputs.people.get(userId);
  const reviewing = person ? person.roles.filter((r) => REVIEWING_ROLES.includes(r)) : [];
  return reviewing.length > 0
    ? `${person!.username} holds the role ${reviewing.map((r) => `${r} (${ROLE_TITLES_ZH[r]})`).join(', ')}, which reviews or decides a step of this case; nobody holding a reviewing role may join a case team at any stage (separation of duties).`
    : null;
}

/** A role, held by someone who is not on the case team (separation of duties). */
const independent =
  (...roles: Role[]): Permission =>
  (ctx, actor) => {
    if (!hasRole(actor, ...roles)) return `This needs the role ${roles.join(' or ')}.`;
    if (isTeam(ctx, actor)) {
      return 'You are the owner or a member of this case team and may not review, approve, vote on or verify it (separation of duties).';
    }
    return null;
  };

/**
 * Exemption verifiers: independent of the team, and not among the people whose own decisions the
 * review judges (the screening approver, a DD author, the risk officer, a voter): nobody verifies
 * their own work. A criterion's finding also needs one of the verifier roles frozen into the review.
 */
const verifier: Permission = (ctx, actor, event, state, inputs) => {
  const refusal = independent('compliance_officer', 'legal_officer')(ctx, actor, event, state, inputs);
  if (refusal) return refusal;
  if (investmentDecisionParticipants(ctx).has(actor.id)) {
    return 'You took part in the investment decision under review (screening, due diligence, risk opinion or committee) and may not verify its exemption (separation of duties).';
  }
  if (event.type === 'VERIFY_CRITERION') {
    const defs = ctx.exemption?.criteriaDefinitions ?? inputs.currentCriteria;
    const def = defs.find((d) => d.code === event.criterion);
    if (def && !def.verifierRoles.some((r) => actor.roles.includes(r as Role))) {
      return `Criterion ${def.code} (${def.titleZh}) is verified by ${def.verifierRoles.join(' or ')}.`;
    }
  }
  return null;
};

/**
 * A member of the exemption decision panel: holds one of the panel rule's roles and is not recused
 * (automatically as a team member or participant in the investment decision, or by RECUSE_FROM_PANEL).
 */
const panelMember: Permission = (ctx, actor, event) => {
  const panel = ctx.exemption?.panel;
  if (!panel) return null;
  if (!sitsOnPanel(panel.rule, actor))
    return `The ${panel.rule.body} (${panel.rule.tier} loss) is formed of ${panel.rule.roles.join(', ')} (panel rule ${panel.rule.version}).`;
  const recused = recusalReason(ctx, actor.id);
  if (recused) return recused;
  if (event.type === 'DECIDE_EXEMPTION' && !panel.votes.some((v) => v.by === actor.id)) {
    return 'The decision is recorded by a panel member who voted in this round.';
  }
  return null;
};

/**
 * Who rules on an objection: a compliance officer independent of the team who did not raise it and
 * whose own finding, flag or decision it does not concern (nobody rules on an objection to their own work).
 */
const objectionRuler: Permission = (ctx, actor, event, state, inputs) => {
  const refusal = independent('compliance_officer')(ctx, actor, event, state, inputs);
  if (refusal) return refusal;
  const objection = event.type === 'RULE_ON_OBJECTION' ? ctx.exemption?.objections[event.objection] : undefined;
  if (objection?.by === actor.id) return 'You raised this objection and may not rule on it yourself (separation of duties).';
  const ex = ctx.exemption;
  if (!ex) return null;
  const own = [
    ...Object.entries(ex.findings)
      .filter(([, f]) => f.by === actor.id)
      .map(([c]) => `the finding on ${c}`),
    ...ex.flags.filter((f) => f.by === actor.id || f.withdrawal?.by === actor.id).map((f) => `the negative-list flag on ${f.item}`),
    ...(ex.decision?.by === actor.id ? ['the decision'] : []),
    ...(ex.decision?.panelVotes?.some((v) => v.by === actor.id) ? ['your panel vote on the decision'] : []),
  ];
  return own.length > 0
    ? `The objection is to a decision resting on your own work (${[...new Set(own)].join(', ')}); nobody rules on an objection to their own finding or decision (separation of duties).`
    : null;
};

/** Who proposes accountability (申辩 opens): whoever may take the decision, short of having voted. */
const proposer: Permission = (ctx, actor, event, state, inputs) => {
  const panel = ctx.exemption?.panel;
  if (!panel) return independent('committee_chair')(ctx, actor, event, state, inputs);
  if (!sitsOnPanel(panel.rule, actor))
    return `The ${panel.rule.body} (${panel.rule.tier} loss) is formed of ${panel.rule.roles.join(', ')} (panel rule ${panel.rule.version}).`;
  return recusalReason(ctx, actor.id);
};

/** 合法性审查 (Order No. 46): a legal officer independent of the case and of this review. */
const legalityReviewer: Permission = (ctx, actor) => {
  if (!hasRole(actor, 'legal_officer')) return 'The legality review (合法性审查) is given by a legal_officer.';
  const ex = ctx.exemption;
  return legalityReviewerProblem(actor.id, {
    team: [ctx.ownerId, ...ctx.team],
    participants: [...investmentDecisionParticipants(ctx)],
    reviewers: ex ? reviewActors(ex) : [],
  });
};

/** 申辩: only a person the current proposal names speaks in the hearing. */
const heardPerson: Permission = (ctx, actor) => {
  const hearing = ctx.exemption ? currentHearing(ctx.exemption) : null;
  if (hearing && !hearing.persons.some((p) => p.userId === actor.id)) {
    return 'Only a person proposed for accountability submits a statement in the hearing (申辩).';
  }
  return null;
};

/** 申诉: only a person the standing decision refers may appeal. */
const referredPerson: Permission = (ctx, actor) => {
  const d = ctx.exemption?.decision;
  if (d && !d.accountability.some((a) => a.userId === actor.id))
    return 'Only a person the decision refers for accountability may appeal (申诉).';
  return null;
};

/**
 * 复核: a member of the appeal body (a role of the due-process policy), independent of the case, who
 * did not sit on the first decision; every member named likewise.
 */
function appealBodyEligibility(ctx: CaseContext, actor: Actor, members: readonly string[], inputs: DecisionInputs): string | null {
  const ex = ctx.exemption;
  const policy = ex?.dueProcess;
  if (!ex || !policy) return 'This review has no appeal body (it opened before the due-process rules).';
  const roles = policy.appeal.roles as Role[];
  if (!hasRole(actor, ...roles))
    return `The ${policy.appeal.body} is formed of ${roles.join(', ')} (due-process policy ${policy.version}).`;
  const sat = firstDecisionSitters(ex);
  const participants = investmentDecisionParticipants(ctx);
  for (const id of members) {
    const name = id === actor.id ? 'You' : (inputs.people.get(id)?.username ?? id);
    if (sat.includes(id)) return `${name} sat on the first decision; the appeal goes to a body none of whose members did.`;
    if (ctx.ownerId === id || ctx.team.includes(id)) return `${name} is on the case team and cannot sit on the ${policy.appeal.body}.`;
    if (participants.has(id))
      return `${name} took part in the investment decision under review and cannot sit on the ${policy.appeal.body}.`;
    const person = inputs.people.get(id);
    if (person && !person.roles.some((r) => roles.includes(r))) {
      return `${person.username} holds none of the roles of the ${policy.appeal.body} (${roles.join(', ')}).`;
    }
  }
  return null;
}

/** RULE_ON_APPEAL: the sender and every member the ruling names may sit on the appeal body. */
const appealBodyMember: Permission = (ctx, actor, event, _state, inputs) =>
  appealBodyEligibility(ctx, actor, event.type === 'RULE_ON_APPEAL' ? event.members : [actor.id], inputs);

/** CONFIRM_APPEAL_RULING (machine version 7): a member the pending proposal names, still eligible to sit on the body. */
const appealRulingConfirmer: Permission = (ctx, actor, _event, _state, inputs) => {
  const refusal = appealBodyEligibility(ctx, actor, [actor.id], inputs);
  if (refusal || !ctx.exemption) return refusal;
  const pending = pendingProposal(openAppealRound(ctx.exemption));
  if (pending && !pending.members.includes(actor.id)) {
    return `You are not named in the ${ctx.exemption.dueProcess!.appeal.body} of the proposed ruling; only the members it names confirm it (${pending.members.join(', ')}). A member of the body may propose another ruling (RULE_ON_APPEAL).`;
  }
  return null;
};

const RETURN_BY_STATE: Record<string, Role> = {
  screening: 'department_head',
  riskReview: 'risk_officer',
  committee: 'committee_chair',
};

export const permissions: Record<CaseEventType, Permission> = {
  SUBMIT: owner,
  APPROVE: independent('department_head'),
  REJECT: independent('department_head'),
  RETURN: (ctx, actor, event, state, inputs) => independent(RETURN_BY_STATE[state] ?? 'department_head')(ctx, actor, event, state, inputs),
  SUBMIT_DD_REPORT: (ctx, actor, event, state, inputs) => {
    if (event.type === 'SUBMIT_DD_REPORT' && event.workstream === 'legal') {
      return hasRole(actor, 'legal_officer') ? null : 'The legal due-diligence report is submitted by a legal_officer.';
    }
    return ownerOrTeam(ctx, actor, event, state, inputs);
  },
  RISK_OPINION: independent('risk_officer'),
  CAST_VOTE: independent('committee_member', 'committee_chair'),
  CLOSE_VOTING: independent('committee_chair'),
  RECORD_SIGNING: owner,
  RECORD_FUNDING: owner,
  SUBMIT_MONITORING_REPORT: ownerOrTeam,
  CLASSIFY_RISK: independent('risk_officer'),
  START_EXIT: owner,
  COMPLETE_EXIT: owner,
  CONFIRM_EXIT_AMOUNT: independent('department_head'),
  WRITE_OFF: independent('department_head'),
  ADD_TEAM_MEMBER: (ctx, actor, event, state, inputs) => {
    const refusal = owner(ctx, actor, event, state, inputs);
    if (refusal || event.type !== 'ADD_TEAM_MEMBER') return refusal;
    return reviewingRoleRefusal(inputs, event.userId);
  },
  DECIDE_TEAM_CHANGE: (ctx, actor, event, state, inputs) => {
    const refusal = independent('department_head')(ctx, actor, event, state, inputs);
    if (refusal || event.type !== 'DECIDE_TEAM_CHANGE' || !event.approved) return refusal;
    return reviewingRoleRefusal(inputs, event.userId);
  },
  FILE_EXEMPTION: owner,
  VERIFY_CRITERION: verifier,
  FLAG_NEGATIVE_LIST: verifier,
  WITHDRAW_FLAG: (ctx, actor, event, state, inputs) => {
    const refusal = verifier(ctx, actor, event, state, inputs);
    if (refusal) return refusal;
    const flag = event.type === 'WITHDRAW_FLAG' ? ctx.exemption?.flags[event.flag] : undefined;
    return flag?.by === actor.id ? 'You raised this flag: its withdrawal is ruled on by someone else (separation of duties).' : null;
  },
  RECUSE_FROM_PANEL: (ctx, actor, event, state, inputs) => {
    const panel = ctx.exemption?.panel;
    if (!panel) return 'This review has no decision panel.';
    // A second recusal is refused by the rule; anyone else must be a panel member not already recused.
    return panel.recusals.some((r) => r.by === actor.id) ? null : panelMember(ctx, actor, event, state, inputs);
  },
  CAST_PANEL_VOTE: panelMember,
  DECIDE_EXEMPTION: (ctx, actor, event, state, inputs) =>
    ctx.exemption?.panel ? panelMember(ctx, actor, event, state, inputs) : independent('committee_chair')(ctx, actor, event, state, inputs),
  RAISE_OBJECTION: (ctx, actor) => {
    if (!hasRole(actor, ...CASE_ACTORS)) {
      return 'Auditors and administrators have read-only access to cases.';
    }
    return isTeam(ctx, actor) ? 'Members of the case team may not object to their own exemption decision.' : null;
  },
  RULE_ON_OBJECTION: objectionRuler,
  RECEIVE_REFERRAL: independent('discipline_officer'),
  CONCLUDE_NOTICE: independent('compliance_officer'),
  RECORD_DISTINCTION: verifier,
  PROPOSE_ACCOUNTABILITY: proposer,
  SUBMIT_STATEMENT: heardPerson,
  LEGALITY_REVIEW: legalityReviewer,
  FILE_APPEAL: referredPerson,
  RULE_ON_APPEAL: appealBodyMember,
  CONFIRM_APPEAL_RULING: appealRulingConfirmer,
  REOPEN_REVIEW: independent('discipline_officer'),
};

/** Returns null when the actor may send the event in the case's current state, else the reason. */
export function checkPermission(
  ctx: CaseContext,
  actor: Actor,
  event: CaseEvent,
  statePath: string,
  inputs: DecisionInputs = NO_INPUTS,
): string | null {
  return permissions[event.type](ctx, actor, event, statePath, inputs);
}
