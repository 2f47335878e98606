import type { SnapshotFrom, StateValue } from 'xstate';
import { caseMachine, MACHINE_VERSION } from './case.machine';
import type { CaseContext, ExemptionContext, ExemptionDecision, Vote } from './case.types';

export type CaseSnapshot = SnapshotFrom<typeof caseMachine>;

/** What is stored in the `snapshot` column: XState's persisted snapshot (value + context). */
export interface PersistedCaseSnapshot {
  status: string;
  value: StateValue;
  context: CaseContext;
  [key: string]: unknown;
}

export function persistSnapshot(snapshot: CaseSnapshot): PersistedCaseSnapshot {
  return caseMachine.getPersistedSnapshot(snapshot) as unknown as PersistedCaseSnapshot;
}

/**
 * Restores a stored snapshot, migrating it first when it was written by an older machine version.
 * XState 5 has no snapshot migration of its own, so each step below is an explicit, tested function.
 */
export function restoreSnapshot(stored: unknown, storedVersion: number): CaseSnapshot {
  const current = migrateSnapshot(stored, storedVersion);
  return caseMachine.resolveState({ value: current.value, context: current.context });
}

export class SnapshotMigrationError extends Error {}

type Step = (snapshot: Record<string, unknown>) => Record<string, unknown>;

/** Version 1 snapshots kept no `reviewers` list: derive it from the recorded approvals and votes. */
interface V1Context extends Omit<V3Context, 'reviewers'> {
  reviewers?: undefined;
}

const v1ToV2: Step = (snapshot) => {
  const context = snapshot.context as V1Context;
  const reviewers = new Set<string>();
  if (context.screening) reviewers.add(context.screening.by);
  if (context.riskOpinion) reviewers.add(context.riskOpinion.by);
  context.votes.forEach((v: Vote) => reviewers.add(v.by));
  if (context.committeeDecision) reviewers.add(context.committeeDecision.by);
  return { ...snapshot, context: { ...context, reviewers: [...reviewers] } };
};

/**
 * Version 2 reviews froze only the criteria and negative-list codes. Version 3 also freezes their
 * definitions, the monitoring policy, the notice policy and the fund's tolerance at decision time,
 * and records the notice's conclusion. None of that can be recovered for an old review (taking
 * today's config would rewrite the past), so the new fields are null: the record says "not frozen".
 */
type V2Decision = Omit<ExemptionDecision, 'noticePeriodDays' | 'noticePolicyVersion' | 'tolerance'>;
interface V2Exemption extends Omit<
  ExemptionContext,
  | 'rules'
  | 'panel'
  | 'criteriaDefinitions'
  | 'negativeListDefinitions'
  | 'monitoringPolicy'
  | 'previousFindings'
  | 'conclusion'
  | 'decision'
  | 'previousDecisions'
> {
  decision: V2Decision | null;
  previousDecisions: V2Decision[];
}

const v3Decision = (d: V2Decision): ExemptionDecision => ({ ...d, noticePeriodDays: null, noticePolicyVersion: null, tolerance: null });

const v2ToV3: Step = (snapshot) => {
  const context = snapshot.context as Omit<V3Context, 'exemption'> & { exemption: V2Exemption | null };
  const ex = context.exemption;
  if (!ex) return snapshot;
  // A v2 snapshot in `closed` with a decision reached it by CONCLUDE_NOTICE, which recorded no stamp then.
  const exemption: V3Context['exemption'] = {
    ...ex,
    criteriaDefinitions: null,
    negativeListDefinitions: null,
    monitoringPolicy: null,
    decision: ex.decision ? v3Decision(ex.decision) : null,
    previousDecisions: ex.previousDecisions.map(v3Decision),
    previousFindings: ex.previousDecisions.map(() => ({})),
    conclusion: null,
  };
  return { ...snapshot, context: { ...context, exemption } };
};

/**
 * Version 4 adds the team freeze and team-change requests, and gives each review the rules it runs
 * under. A running case freezes its team if its committee vote has opened. A review already open keeps
 * the rules it opened under (`rules: 3`: decided by the committee chair alone, only `exempt` bound by
 * the negative list), and its record says so; it has no panel. Findings, flags and votes recorded
 * before keep their shape (the fields added later are absent: not recorded then).
 */
type V3Context = Omit<CaseContext, 'teamRequests' | 'teamFrozen' | 'exemption'> & {
  exemption: Omit<ExemptionContext, 'rules' | 'panel'> | null;
};

const v3ToV4: Step = (snapshot) => {
  const context = snapshot.context as V3Context;
  const teamFrozen = context.riskOpinion !== null || context.committeeDecision !== null || context.round > 1;
  const exemption: ExemptionContext | null = context.exemption ? { ...context.exemption, rules: 3, panel: null } : null;
  return { ...snapshot, context: { ...context, teamRequests: [], teamFrozen, exemption } };
};

/**
 * Version 5 adds due process around the exemption decision (三个区分开来, legality review, hearing,
 * appeal, reopening) and makes `closed` accept an appeal or a reopening. A review already open keeps
 * the rules it opened under (its `rules` stays 3 or 4, and `dueProcess` is null: no due-process policy
 * was frozen into it), and its record says so. A closed review can still be reopened by discipline
 * inspection (lifetime accountability); the reopened round runs under version 5.
 */
type V4Exemption = Omit<
  ExemptionContext,
  'dueProcess' | 'distinctions' | 'previousDistinctions' | 'hearings' | 'legalityReviews' | 'appealRounds' | 'reopenings'
>;

const v4ToV5: Step = (snapshot) => {
  const context = snapshot.context as Omit<CaseContext, 'exemption'> & { exemption: V4Exemption | null };
  if (!context.exemption) return snapshot;
  const exemption: ExemptionContext = {
    ...context.exemption,
    dueProcess: null,
    distinctions: {},
    previousDistinctions: context.exemption.previousDecisions.map(() => ({})),
    hearings: [],
    legalityReviews: [],
    appealRounds: [],
    reopenings: [],
  };
  return { ...snapshot, context: { ...context, exemption } };
};

/**
 * Version 6 puts four eyes on the exit proceeds: a department head confirms the amount from the
 * source document (CONFIRM_EXIT_AMOUNT) before the owner's COMPLETE_EXIT, which must match it. An
 * exit already recorded keeps its figure with `confirmation: null` (recorded before the rule); a case
 * still exiting needs the confirmation like any other.
 */
const v5ToV6: Step = (snapshot) => {
  const context = snapshot.context as CaseContext;
  if (!context.exit) return snapshot;
  return { ...snapshot, context: { ...context, exit: { ...context.exit, confirmation: null } } };
};

/**
 * Version 7 tightens the due process of reviews opened (or reopened) from now on (`rules: 7`): the
 * legality review must match everything the decision decides, an appeal never makes the decision
 * heavier, and the appeal body's ruling is proposed by one member and takes effect once each member
 * named has confirmed it. A review already open keeps the rules it opened under (`rules` stays 5 or
 * lower, unchanged by this step; its ruling is still recorded by one member naming the body), and its
 * record says so. Each appeal round gets an empty list of proposals (none were made before).
 */
const v6ToV7: Step = (snapshot) => {
  const context = snapshot.context as CaseContext;
  const ex = context.exemption;
  if (!ex?.appealRounds?.length) return snapshot;
  const appealRounds = ex.appealRounds.map((r) => ({ ...r, proposals: r.proposals ?? [] }));
  return { ...snapshot, context: { ...context, exemption: { ...ex, appealRounds } } };
};

/** MIGRATIONS[n] turns a version-n snapshot into a version n+1 one. */
const MIGRATIONS: Record<number, Step> = { 1: v1ToV2, 2: v2ToV3, 3: v3ToV4, 4: v4ToV5, 5: v5ToV6, 6: v6ToV7 };

export function migrateSnapshot(stored: unknown, storedVersion: number): PersistedCaseSnapshot {
  if (storedVersion > MACHINE_VERSION) {
    throw new SnapshotMigrationError(
      `Snapshot was written by machine version ${storedVersion}, newer than this server's ${MACHINE_VERSION}; upgrade the server.`,
    );
  }
  let snapshot = stored as Record<string, unknown>;
  for (let v = storedVersion; v < MACHINE_VERSION; v++) {
    const step = MIGRATIONS[v];
    if (!step) throw new SnapshotMigrationError(`No migration from machine version ${v} to ${v + 1}.`);
    snapshot = step(snapshot);
  }
  return snapshot as PersistedCaseSnapshot;
}

/** The state path as the contract names it: `draft`, `exemptionReview.verification`. */
export function statePath(value: StateValue): string {
  if (typeof value === 'string') return value;
  const [key, child] = Object.entries(value)[0];
  return child === undefined ? key : `${key}.${statePath(child)}`;
}
