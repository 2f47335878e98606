import { initialTransition } from 'xstate';
import { caseMachine } from '../case.machine';
import { statePath, type CaseSnapshot } from '../case.snapshot';
import type { CaseEvent } from '../case.types';
import { decide, type ProbePolicies } from '../case.workflow';
import type { DecisionInputs } from '../case.permissions';
import { DomainException } from '../domain.exception';
import type { DecisionPanelRule, DueProcessPolicy } from '../policy.types';
import type { Actor, Role } from '../roles';

/** Pure test helpers: drive the machine through `decide` as the service does, without a database. */

export const owner: Actor = { id: 'owner', roles: ['investment_manager'] };
export const owner2: Actor = { id: 'owner2', roles: ['investment_manager'] };
export const head: Actor = { id: 'head', roles: ['department_head'] };
export const head2: Actor = { id: 'head2', roles: ['department_head'] };
export const legal: Actor = { id: 'legal', roles: ['legal_officer'] };
export const legal2: Actor = { id: 'legal2', roles: ['legal_officer'] };
export const risk: Actor = { id: 'risk', roles: ['risk_officer'] };
export const chair: Actor = { id: 'chair', roles: ['committee_chair'] };
export const members: Actor[] = [1, 2, 3, 4, 5, 6, 7].map((i) => ({ id: `m${i}`, roles: ['committee_member'] }));
export const compliance: Actor = { id: 'compliance', roles: ['compliance_officer'] };
export const compliance2: Actor = { id: 'compliance2', roles: ['compliance_officer'] };
export const discipline: Actor = { id: 'discipline', roles: ['discipline_officer'] };
export const EVIDENCE = [{ title: 'Bank statement', ref: 'EV-1' }];

const panelRule = (tier: string, quorum: number, numerator: number, denominator: number, strict: boolean): DecisionPanelRule => ({
  version: 'd1',
  tier,
  body: tier === 'grave' ? '党委会' : '免责认定小组',
  roles: ['committee_chair', 'committee_member', 'department_head'],
  quorum,
  majorityNumerator: numerator,
  majorityDenominator: denominator,
  strict,
});

export const PANEL = {
  version: 'd1',
  tiers: {
    general: panelRule('general', 3, 1, 2, true),
    major: panelRule('major', 3, 2, 3, false),
    grave: panelRule('grave', 4, 2, 3, false),
  },
};

export const policies: ProbePolicies = {
  committee: {
    version: 'c1',
    quorum: 5,
    approvalNumerator: 2,
    approvalDenominator: 3,
    abstentionsCountAsCast: true,
    riskFailRequiresOverride: true,
  },
  review: {
    criteriaVersion: 'cr1',
    criteria: ['a', 'b'],
    negativeListVersion: 'n1',
    negativeListItems: ['x', 'y'],
    criteriaDefinitions: [
      { code: 'a', titleZh: '甲', titleEn: 'A', evidence: 'manual', verifierRoles: ['compliance_officer', 'legal_officer'] },
      { code: 'b', titleZh: '乙', titleEn: 'B', evidence: 'auto', verifierRoles: ['compliance_officer'] },
    ],
    negativeListDefinitions: [
      { code: 'x', titleZh: '谋取私利', titleEn: 'Personal gain', source: 'rule' },
      { code: 'y', titleZh: '规避程序', titleEn: 'Bypass', source: 'practice' },
    ],
    monitoring: { version: 'm1', reportCadenceDays: 92, downgradeReactionDays: 10 },
  },
  noticePeriodDays: 5,
};

let clock = Date.parse('2026-06-01T00:00:00Z');
export const at = () => new Date((clock += 60_000)).toISOString();
export const advanceDays = (days: number) => (clock += days * 24 * 3600_000);

export function start(): CaseSnapshot {
  return initialTransition(caseMachine, { ownerId: owner.id, requestedAmountFen: 100 })[0];
}

/**
 * The people the service would load for an event: every id an event names is a user here, an
 * investment manager unless `people` gives their roles.
 */
function inputsFor(event: Record<string, unknown>, people: Record<string, Role[]> = {}): DecisionInputs {
  const named = [
    event.userId,
    ...((event.persons as string[] | undefined) ?? []),
    ...((event.accountability as { userId: string }[] | undefined) ?? []).map((a) => a.userId),
    ...((event.members as string[] | undefined) ?? []),
  ].filter((v): v is string => typeof v === 'string');
  return {
    people: new Map(named.map((id) => [id, { username: id, roles: people[id] ?? ['investment_manager'] }])),
    currentCriteria: [],
  };
}

export function send(s: CaseSnapshot, actor: Actor, event: Record<string, unknown>, people?: Record<string, Role[]>): CaseSnapshot {
  return decide(s, { ...event, actor, at: at() } as unknown as CaseEvent, inputsFor(event, people)).next;
}

/** The exception an event is refused with; throws when it is accepted. */
export function refused(s: CaseSnapshot, actor: Actor, event: Record<string, unknown>, people?: Record<string, Role[]>): DomainException {
  try {
    decide(s, { ...event, actor, at: at() } as unknown as CaseEvent, inputsFor(event, people));
  } catch (err) {
    if (err instanceof DomainException) return err;
    throw err;
  }
  throw new Error(`${String(event.type)} by ${actor.id} was accepted`);
}

export function toCommittee(opinion = 'pass'): CaseSnapshot {
  let s = start();
  s = send(s, owner, { type: 'SUBMIT' });
  s = send(s, head, { type: 'APPROVE' });
  for (const w of ['business', 'financial', 'technical'])
    s = send(s, owner, { type: 'SUBMIT_DD_REPORT', workstream: w, conclusion: 'ok', findings: 'f' });
  s = send(s, legal, { type: 'SUBMIT_DD_REPORT', workstream: 'legal', conclusion: 'ok', findings: 'f' });
  return send(s, risk, { type: 'RISK_OPINION', opinion, reason: 'r', ...(opinion === 'conditional' ? { conditions: 'c' } : {}) });
}

/** Votes of members m1…, each `approve`, `reject`, `abstain`, or `approve+reservation`. */
export function vote(s: CaseSnapshot, votes: string[]): CaseSnapshot {
  votes.forEach((v, i) => {
    const [kind, reservation] = v.split('+');
    s = send(s, members[i], { type: 'CAST_VOTE', vote: kind, reason: 'r', ...(reservation ? { reservation: 'valuation too high' } : {}) });
  });
  return s;
}

export interface ReviewOptions {
  votes?: string[];
  opinion?: string;
  /** Freeze the panel policy into the review (default true). */
  panel?: boolean;
  amountFen?: number;
  /** Freeze a due-process policy into the review (machine version 5's rules); none by default. */
  dueProcess?: DueProcessPolicy;
}

/** A written-off case whose exemption application is filed: the review in verification. */
export function toVerification(o: ReviewOptions = {}): CaseSnapshot {
  let s = vote(toCommittee(o.opinion), o.votes ?? ['approve', 'approve', 'approve', 'approve', 'approve']);
  s = send(s, chair, { type: 'CLOSE_VOTING', rule: policies.committee, overrideReason: 'strategic' });
  s = send(s, owner, { type: 'RECORD_SIGNING', signedAt: '2026-02-01T00:00:00.000Z' });
  s = send(s, owner, { type: 'RECORD_FUNDING', amountFen: o.amountFen ?? 100, fundedAt: '2026-02-02T00:00:00.000Z' });
  const review = {
    ...(o.panel === false ? policies.review : { ...policies.review, decision: PANEL }),
    ...(o.dueProcess ? { dueProcess: o.dueProcess } : {}),
  };
  s = send(s, head2, { type: 'WRITE_OFF', reason: 'Bankrupt', review });
  s = send(s, owner, {
    type: 'FILE_EXEMPTION',
    lossCause: 'market',
    statement: 's',
    evidence: [],
    declarations: { noPersonalGain: true, relatedPartiesDisclosed: true, informationComplete: true },
  });
  if (statePath(s.value) !== 'exemptionReview.verification') throw new Error(`not in verification: ${statePath(s.value)}`);
  return s;
}

/** Both criteria of the fixture's review verified (a by legal2, b by compliance). */
export function toDecision(o: ReviewOptions & { findings?: Record<string, string> } = {}): CaseSnapshot {
  let s = toVerification(o);
  s = send(s, legal2, { type: 'VERIFY_CRITERION', criterion: 'a', finding: o.findings?.a ?? 'met', note: 'n' });
  s = send(s, compliance, { type: 'VERIFY_CRITERION', criterion: 'b', finding: o.findings?.b ?? 'met', note: 'n' });
  return s;
}
