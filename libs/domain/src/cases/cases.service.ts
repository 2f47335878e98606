import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { initialTransition, transition } from 'xstate';
import { GENESIS_HASH, type AuditEntry } from '@app/audit';
import {
  autoEvidenceOf,
  availableEvents,
  caseMachine,
  CaseException,
  CaseExceptionCode,
  CASE_EVENT_TYPES,
  decide,
  desiredTasks,
  MACHINE_VERSION,
  persistSnapshot,
  proceduralReport,
  restoreSnapshot,
  statePath,
  type Actor,
  type CaseEvent,
  type CaseEventType,
  type CaseSnapshot,
  type FundToleranceFigures,
  type FundType,
  type ProbePolicies,
  type ReviewPolicyRef,
  type Role,
  type TaskInputs,
} from '@app/case-workflow';
import { AppConfigService } from '@app/config';
import {
  AuditRepository,
  CasesRepository,
  FundsRepository,
  TasksRepository,
  TransactionRunner,
  UsersRepository,
  type CaseRecord,
  type NewTask,
  type TaskRecord,
  type Tx,
} from '@app/persistence';
import { decodeKeysetCursor, encodeKeysetCursor } from '../common/keyset-cursor';
import { DomainErrorCode, DomainException, notFound } from '../domain.exception';
import { computeTolerance } from '../funds/tolerance';
import { dueAt } from '../tasks/sla';
import { toCaseView, type CaseView } from './case-view';
import { RecentCases, type RecentCase } from './recent-cases';

export interface NewCaseInput {
  fundId: string;
  companyName: string;
  sector: string;
  requestedAmountFen: number;
  summary: string;
}

export interface EventInput {
  type: CaseEventType;
  expectedVersion: number;
  /** The validated fields of the event, without `type` and `expectedVersion`. */
  payload: Record<string, unknown>;
}

export interface CaseListQuery {
  state?: string;
  fundId?: string;
  ownerId?: string;
  limit: number;
  cursor?: string;
}

const REASON_FIELDS = ['reason', 'overrideReason', 'reasons', 'note', 'text', 'statement'] as const;

/** The history entry's reason: the first free-text justification the event carries. */
function reasonOf(payload: Record<string, unknown>): string | null {
  for (const f of REASON_FIELDS) {
    const v = payload[f];
    if (typeof v === 'string' && v.trim()) return v;
  }
  return null;
}

const cursorToCreated = ({ at, id }: { at: string; id: string }) => ({ createdAt: at, id });

/** Cases remembered as last written by this process (see RecentCases), and their snapshots' budget. */
const RECENT_CASES = 10_000;
const RECENT_CASES_BYTES = 64 * 1024 * 1024;

/** Attempts without a lock before an event whose chain head keeps moving (claims, escalations) locks. */
const OPTIMISTIC_ATTEMPTS = 3;

@Injectable()
export class CasesService {
  private readonly logger = new Logger(CasesService.name);
  private readonly recent = new RecentCases(RECENT_CASES, RECENT_CASES_BYTES);

  constructor(
    private readonly tx: TransactionRunner,
    private readonly cases: CasesRepository,
    private readonly funds: FundsRepository,
    private readonly users: UsersRepository,
    private readonly tasks: TasksRepository,
    private readonly audit: AuditRepository,
    private readonly config: AppConfigService,
  ) {}

  /** The criteria and negative list a review opening now would freeze. */
  reviewRef(): ReviewPolicyRef['review'] {
    const p = this.config.policies;
    return {
      criteriaVersion: p.criteria.version,
      criteria: p.criteria.criteria.map((c) => c.code),
      negativeListVersion: p.negativeList.version,
      negativeListItems: p.negativeList.items.map((i) => i.code),
      criteriaDefinitions: p.criteria.criteria.map((c) => ({
        code: c.code,
        titleZh: c.titleZh,
        titleEn: c.titleEn,
        evidence: c.evidence,
        verifierRoles: [...c.verifierRoles],
      })),
      negativeListDefinitions: p.negativeList.items.map((i) => ({
        code: i.code,
        titleZh: i.titleZh,
        titleEn: i.titleEn,
        source: i.source,
      })),
      monitoring: { ...p.monitoring },
      decision: {
        version: p.decision.version,
        tiers: Object.fromEntries(
          Object.entries(p.decision.tiers).map(([tier, rule]) => [
            tier,
            { ...rule, roles: [...rule.roles], version: p.decision.version, tier },
          ]),
        ),
      },
    };
  }

  private probePolicies(): ProbePolicies {
    const p = this.config.policies;
    return { committee: p.committee, review: this.reviewRef(), noticePeriodDays: p.notice.periodDays };
  }

  /** What the server adds to an event from policy: recorded in the history as `payload.server`. */
  private serverFields(type: CaseEventType): Record<string, unknown> {
    const p = this.config.policies;
    switch (type) {
      case 'CLOSE_VOTING':
        return { rule: p.committee };
      case 'COMPLETE_EXIT':
      case 'WRITE_OFF':
        return { review: this.reviewRef() };
      case 'DECIDE_EXEMPTION':
        return { noticePeriodDays: p.notice.periodDays, noticePolicyVersion: p.notice.version };
      default:
        return {};
    }
  }

  async create(actor: Actor, input: NewCaseInput): Promise<CaseView> {
    const at = new Date().toISOString();
    const id = randomUUID();
    return this.tx.run(async (tx) => {
      if (!(await this.funds.findById(tx, input.fundId))) {
        throw new DomainException(DomainErrorCode.InvalidInput, `No fund with id ${input.fundId} exists; GET /api/funds lists the funds.`);
      }
      const [snapshot] = initialTransition(caseMachine, { ownerId: actor.id, requestedAmountFen: input.requestedAmountFen });
      const state = statePath(snapshot.value);
      const entry = await this.audit.prepare(
        tx,
        {
          at,
          actorId: actor.id,
          actorRoles: [...actor.roles],
          caseId: id,
          type: 'CASE_CREATED',
          fromState: null,
          toState: state,
          reason: null,
          payload: { input: { ...input }, version: 1, machineVersion: MACHINE_VERSION },
        },
        GENESIS_HASH,
      );
      const record = await this.cases.insert(tx, {
        id,
        ...input,
        ownerId: actor.id,
        state,
        snapshot: persistSnapshot(snapshot),
        machineVersion: MACHINE_VERSION,
        headHash: entry.hash,
        createdAt: at,
      });
      await this.audit.insert(tx, entry);
      await this.syncTasks(tx, id, snapshot, actor.id, at);
      return this.view(tx, record, actor);
    });
  }

  async get(actor: Actor, id: string): Promise<CaseView> {
    return this.tx.none(async (tx) => {
      const record = await this.cases.findById(tx, id);
      if (!record) throw notFound('case');
      return this.view(tx, record, actor);
    });
  }

  async list(actor: Actor, q: CaseListQuery): Promise<{ items: CaseView[]; nextCursor: string | null }> {
    return this.tx.none(async (tx) => {
      const rows = await this.cases.list(tx, {
        state: q.state,
        fundId: q.fundId,
        ownerId: q.ownerId,
        before: q.cursor ? cursorToCreated(decodeKeysetCursor(q.cursor)) : undefined,
        limit: q.limit + 1,
      });
      const page = rows.slice(0, q.limit);
      const tasks = await this.tasks.openForCases(
        tx,
        page.map((r) => r.id),
      );
      const items = page.map((r) => this.toView(r, restoreSnapshot(r.snapshot, r.machineVersion), actor, tasks.get(r.id) ?? []));
      const last = page[page.length - 1];
      return { items, nextCursor: rows.length > q.limit && last ? encodeKeysetCursor(last.createdAt, last.id) : null };
    });
  }

  /**
   * One event, one transaction. Read the case (no lock), check the version (409), decide with the
   * machine (403/422), then write the snapshot with version + 1, the history entry and the task
   * changes in one statement that succeeds only if the case still has the version and chain head it
   * was read with. Of concurrent senders of one version exactly one wins; the others find the version
   * moved and get 409. When only the chain head moved (a claim or an escalation came in between, which
   * changes no version), the event is decided again on the fresh read.
   */
  async sendEvent(actor: Actor, caseId: string, input: EventInput): Promise<CaseView> {
    const recent = this.recent.get(caseId);
    if (recent && recent.record.version === input.expectedVersion) {
      // The case as this process last wrote it: no read. Anything but a successful write (it moved,
      // or the event was refused on what may be an old picture) is decided again on a fresh read.
      try {
        const view = await this.tx.connection((tx) => this.tryEvent(tx, actor, caseId, input, recent));
        if (view) return view;
      } catch (err) {
        if (!(err instanceof DomainException) && !(err instanceof CaseException)) throw err;
      }
      this.recent.forget(caseId);
    }
    for (let attempt = 1; attempt < OPTIMISTIC_ATTEMPTS; attempt++) {
      const view = await this.tx.connection((tx) => this.tryEvent(tx, actor, caseId, input, 'read'));
      if (view) return view;
    }
    // Claims or escalations keep moving the chain head under this event: decide once more holding the
    // case's row lock, which they take too, so this attempt cannot be overtaken.
    const view = await this.tx.run((tx) => this.tryEvent(tx, actor, caseId, input, 'lock'));
    if (!view) throw new Error(`event on case ${caseId} was overtaken while holding the case lock`);
    return view;
  }

  /**
   * One attempt of `sendEvent`: the view after the event, or null when the case moved meanwhile.
   * The case comes from a read, a locking read (`tx` is then a transaction), or this process's memory
   * of its last write.
   */
  private async tryEvent(
    tx: Tx,
    actor: Actor,
    caseId: string,
    input: EventInput,
    source: 'read' | 'lock' | RecentCase,
  ): Promise<CaseView | null> {
    const read = typeof source === 'object' ? source : await this.cases.readForEvent(tx, caseId, source === 'lock');
    if (!read) throw notFound('case');
    const { record, nextSeq, openTasks } = read;
    // Taken after the read: every entry already on the chain committed before it, so times rise
    // along the chain and `asOf` sees a clean prefix of it.
    const at = new Date().toISOString();
    const server = this.serverFields(input.type);
    if (record.version !== input.expectedVersion) {
      throw new DomainException(
        DomainErrorCode.VersionConflict,
        `The case is at version ${record.version} but the event was sent for version ${input.expectedVersion}: someone moved it first. Reload the case and decide again.`,
        { currentVersion: record.version, currentState: record.state },
      );
    }
    if (input.type === 'DECIDE_EXEMPTION' && record.state === 'exemptionReview.decision') {
      // Frozen into the decision: the fund's tolerance as read just before the event is written.
      server.tolerance = await this.fundTolerance(tx, record.fundId);
    }
    const snapshot = typeof source === 'object' ? source.snapshot : restoreSnapshot(record.snapshot, record.machineVersion);
    Object.assign(server, await this.eventFacts(tx, caseId, input, snapshot, at));
    const event = { type: input.type, ...input.payload, ...server, actor, at } as unknown as CaseEvent;
    const decision = decide(snapshot, event);
    await this.checkReferences(tx, event, actor, snapshot);
    const ctx = decision.next.context;
    const newVersion = record.version + 1;
    const entry = await this.audit.prepare(
      tx,
      {
        at,
        actorId: actor.id,
        actorRoles: [...actor.roles],
        caseId,
        type: input.type,
        fromState: decision.fromState,
        toState: decision.toState,
        reason: reasonOf(input.payload),
        payload: { input: input.payload, ...(Object.keys(server).length ? { server } : {}), version: newVersion },
      },
      record.headHash ?? GENESIS_HASH,
      nextSeq,
    );
    const desired = await this.desiredTasks(tx, decision.next, at);
    const wanted = new Set(desired.map((t) => t.key));
    const have = new Set(openTasks.map((t) => t.key));
    const changes = {
      completeKeys: openTasks.filter((t) => !wanted.has(t.key)).map((t) => t.key),
      open: desired.filter((t) => !have.has(t.key)),
    };
    const persisted = persistSnapshot(decision.next);
    const snapshotText = JSON.stringify(persisted);
    const written = await this.cases.applyEvent(
      tx,
      {
        id: caseId,
        expectedVersion: record.version,
        expectedHeadHash: record.headHash,
        state: decision.toState,
        snapshot: persisted,
        snapshotText,
        machineVersion: MACHINE_VERSION,
        investedFen: ctx.funding?.amountFen ?? null,
        proceedsFen: ctx.exit?.proceedsFen ?? null,
        headHash: entry.hash,
        at,
      },
      entry,
      changes,
    );
    if (!written) {
      this.recent.forget(caseId);
      return null;
    }
    this.logger.log({
      msg: 'case event accepted',
      caseId,
      type: input.type,
      from: decision.fromState,
      to: decision.toState,
      version: newVersion,
    });
    const tasks = [
      ...openTasks.filter((t) => wanted.has(t.key)).map((t) => ({ ...t, caseState: decision.toState })),
      ...written.opened,
    ].sort((a, b) => a.dueAt.localeCompare(b.dueAt) || a.id.localeCompare(b.id));
    this.recent.set(caseId, {
      record: written.record,
      snapshot: decision.next,
      openTasks: tasks,
      nextSeq: written.nextSeq,
      size: snapshotText.length,
    });
    return this.toView(written.record, decision.next, actor, tasks);
  }

  /** The fund's live life-to-date tolerance figures (容亏率), read inside the caller's transaction. */
  async fundTolerance(tx: Tx, fundId: string): Promise<FundToleranceFigures> {
    const fund = await this.funds.findById(tx, fundId);
    if (!fund) throw notFound('fund');
    return computeTolerance(fund.type as FundType, this.config.policies.tolerance, await this.cases.fundFigures(tx, fundId));
  }

  /**
   * Facts from the database that the pure rules need, added to the event as server fields (recorded
   * in the history, so a replay decides the same): the roles of a person joining the team, and the
   * automatic evidence of an `auto` criterion being verified.
   */
  private async eventFacts(
    tx: Tx,
    caseId: string,
    input: EventInput,
    snapshot: CaseSnapshot,
    at: string,
  ): Promise<Record<string, unknown>> {
    const p = input.payload;
    if ((input.type === 'ADD_TEAM_MEMBER' || input.type === 'DECIDE_TEAM_CHANGE') && typeof p.userId === 'string') {
      const [user] = (await this.users.findByIds(tx, [p.userId])).filter((u) => u.active);
      if (!user) throw new CaseException(CaseExceptionCode.RuleViolated, `No active user with id ${p.userId} exists.`);
      return { memberRoles: [...user.roles] };
    }
    const ex = snapshot.context.exemption;
    if (input.type === 'VERIFY_CRITERION' && ex && statePath(snapshot.value) === 'exemptionReview.verification') {
      const def = (ex.criteriaDefinitions ?? this.config.policies.criteria.criteria).find((d) => d.code === p.criterion);
      if (def?.evidence !== 'auto') return {};
      const report = proceduralReport(await this.audit.listByCase(tx, caseId), ex.monitoringPolicy ?? this.config.policies.monitoring, at);
      const autoEvidence = autoEvidenceOf(def, report);
      return autoEvidence ? { autoEvidence } : {};
    }
    return {};
  }

  /** Checks that people the event names exist, and the criterion's verifier roles. */
  private async checkReferences(tx: Tx, event: CaseEvent, actor: Actor, snapshot: CaseSnapshot): Promise<void> {
    const ids =
      event.type === 'DECIDE_EXEMPTION'
        ? (event.accountability ?? []).map((a) => a.userId)
        : event.type === 'FLAG_NEGATIVE_LIST'
          ? (event.persons ?? [])
          : [];
    if (ids.length > 0) {
      const users = (await this.users.findByIds(tx, ids)).filter((u) => u.active);
      const found = new Set(users.map((u) => u.id));
      const missing = ids.filter((id) => !found.has(id));
      if (missing.length > 0) {
        throw new CaseException(CaseExceptionCode.RuleViolated, `No active user with id ${missing.join(', ')} exists.`);
      }
    }
    // Reviews opened since machine version 3 carry their verifier roles (checked by the machine's permissions).
    if (event.type === 'VERIFY_CRITERION' && !snapshot.context.exemption?.criteriaDefinitions) {
      const def = this.config.policies.criteria.criteria.find((c) => c.code === event.criterion);
      if (def && !def.verifierRoles.some((r) => actor.roles.includes(r as Role))) {
        throw new CaseException(
          CaseExceptionCode.Forbidden,
          `Criterion ${def.code} (${def.titleZh}) is verified by ${def.verifierRoles.join(' or ')}.`,
        );
      }
    }
  }

  private async taskInputs(tx: Tx, snapshot: CaseSnapshot): Promise<TaskInputs> {
    const p = this.config.policies;
    const committeeMembers =
      statePath(snapshot.value) === 'committee'
        ? (await this.users.withAnyRole(tx, ['committee_member', 'committee_chair'])).map((u) => ({
            id: u.id,
            chair: u.roles.includes('committee_chair'),
          }))
        : [];
    const panel = snapshot.context.exemption?.panel;
    const panelCandidates =
      panel && statePath(snapshot.value) === 'exemptionReview.decision'
        ? (await this.users.withAnyRole(tx, panel.rule.roles as Role[])).map((u) => ({ id: u.id, roles: u.roles }))
        : [];
    // The verifier roles frozen into the review; the current file only for reviews opened before they were frozen.
    const defs = snapshot.context.exemption?.criteriaDefinitions ?? p.criteria.criteria;
    const queues = new Map(defs.map((c) => [c.code, c.verifierRoles[0] as Role]));
    return {
      committeeMembers,
      panelCandidates,
      criterionQueue: (c) => queues.get(c) ?? 'compliance_officer',
      monitoringCadenceDays: p.monitoring.reportCadenceDays,
    };
  }

  /** The tasks the snapshot waits on, with their due times (fixed, or from the queue's SLA). */
  private async desiredTasks(tx: Tx, snapshot: CaseSnapshot, at: string): Promise<NewTask[]> {
    const sla = this.config.policies.sla;
    const now = new Date(at);
    return desiredTasks(snapshot, await this.taskInputs(tx, snapshot)).map((t) => ({
      key: t.key,
      kind: t.kind,
      queue: t.queue,
      assigneeId: t.assigneeId,
      dueAt: t.dueAt ?? dueAt(now, sla.queues[t.queue]).toISOString(),
    }));
  }

  private async syncTasks(tx: Tx, caseId: string, snapshot: CaseSnapshot, actorId: string, at: string): Promise<void> {
    await this.tasks.sync(tx, caseId, statePath(snapshot.value), await this.desiredTasks(tx, snapshot, at), actorId, at);
  }

  private toView(record: CaseRecord, snapshot: CaseSnapshot, actor: Actor, tasks: TaskRecord[]): CaseView {
    const events = availableEvents(snapshot, actor, this.probePolicies(), new Date().toISOString());
    return toCaseView(record, snapshot.context, events, tasks);
  }

  private async view(tx: Tx, record: CaseRecord, actor: Actor): Promise<CaseView> {
    return this.toView(record, restoreSnapshot(record.snapshot, record.machineVersion), actor, await this.tasks.openForCase(tx, record.id));
  }

  async history(id: string): Promise<AuditEntry[]> {
    return this.tx.none(async (tx) => {
      if (!(await this.cases.findById(tx, id))) throw notFound('case');
      return this.audit.listByCase(tx, id);
    });
  }

  /** The case as it stood at `asOf`, rebuilt by replaying its history through the machine. */
  async asOf(id: string, asOf: Date): Promise<CaseView> {
    return this.tx.none(async (tx) => {
      const record = await this.cases.findById(tx, id);
      if (!record) throw notFound('case');
      const entries = await this.audit.listByCase(tx, id, asOf);
      const created = entries[0];
      if (!created || created.type !== 'CASE_CREATED') {
        throw new DomainException(
          DomainErrorCode.NotFound,
          `The case did not exist yet at ${asOf.toISOString()}; it was created at ${record.createdAt}.`,
        );
      }
      let [snapshot] = initialTransition(caseMachine, { ownerId: record.ownerId, requestedAmountFen: record.requestedAmountFen });
      let version = 1;
      let updatedAt = created.at;
      for (const e of entries.slice(1)) {
        if (!(CASE_EVENT_TYPES as readonly string[]).includes(e.type)) continue;
        const p = e.payload as { input: Record<string, unknown>; server?: Record<string, unknown>; version: number };
        const event = {
          type: e.type,
          ...p.input,
          ...(p.server ?? {}),
          actor: { id: e.actorId, roles: e.actorRoles },
          at: e.at,
        } as unknown as CaseEvent;
        [snapshot] = transition(caseMachine, snapshot, event);
        version = p.version;
        updatedAt = e.at;
      }
      const state = statePath(snapshot.value);
      const ctx = snapshot.context;
      const view = toCaseView(
        { ...record, state, version, investedFen: ctx.funding?.amountFen ?? null, proceedsFen: ctx.exit?.proceedsFen ?? null, updatedAt },
        ctx,
        [],
        [],
      );
      return { ...view, asOf: asOf.toISOString() };
    });
  }
}
