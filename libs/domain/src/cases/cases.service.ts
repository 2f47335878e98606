import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { initialTransition, transition } from 'xstate';
import { GENESIS_HASH, type AuditEntry } from '@app/audit';
import {
  availableEvents,
  caseMachine,
  caseEvent,
  decide,
  eventFromHistory,
  eventPayload,
  historyVersion,
  peopleNamed,
  desiredTasks,
  MACHINE_VERSION,
  persistSnapshot,
  restoreSnapshot,
  statePath,
  type Actor,
  type CaseEvent,
  type CaseSnapshot,
  type DecisionInputs,
  type EventMeta,
  type EventRequest,
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

export interface CaseListQuery {
  state?: string;
  fundId?: string;
  ownerId?: string;
  limit: number;
  cursor?: string;
}

const REASON_FIELDS = ['reason', 'overrideReason', 'reasons', 'note', 'text', 'statement'] as const;

/** The history entry's reason: the first free-text justification the event carries. */
function reasonOf(input: object): string | null {
  const fields: Partial<Record<string, unknown>> = input;
  for (const f of REASON_FIELDS) {
    const v = fields[f];
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
    };
  }

  private probePolicies(): ProbePolicies {
    const p = this.config.policies;
    return { committee: p.committee, review: this.reviewRef(), noticePeriodDays: p.notice.periodDays };
  }

  /**
   * The event the machine decides: the client's fields, what the server adds from policy (recorded
   * in the history as `payload.server`), who and when.
   */
  private async withServerFields(
    tx: Tx,
    request: EventRequest,
    record: CaseRecord,
    meta: EventMeta,
  ): Promise<{ event: CaseEvent; server: object }> {
    const p = this.config.policies;
    switch (request.type) {
      case 'CLOSE_VOTING': {
        const server = { rule: p.committee };
        return { event: caseEvent(request, server, meta), server };
      }
      case 'COMPLETE_EXIT':
      case 'WRITE_OFF': {
        const server = { review: this.reviewRef() };
        return { event: caseEvent(request, server, meta), server };
      }
      case 'DECIDE_EXEMPTION': {
        const server = {
          noticePeriodDays: p.notice.periodDays,
          noticePolicyVersion: p.notice.version,
          ...(record.state === 'exemptionReview.decision' ? await this.decisionFacts(tx, record.fundId, meta.at) : {}),
        };
        return { event: caseEvent(request, server, meta), server };
      }
      default:
        return { event: caseEvent(request, {}, meta), server: {} };
    }
  }

  /**
   * Frozen into an exemption decision: the fund's tolerance as read just before the event is written,
   * and the end of the public notice, the close of its last working day (公示, counted from the next working day).
   */
  private async decisionFacts(tx: Tx, fundId: string, at: string) {
    const { calendar, notice } = this.config.policies;
    return {
      tolerance: await this.fundTolerance(tx, fundId),
      noticeEndsAt: calendar.addWorkingDays(new Date(at), notice.periodDays, 'public notice period').toISOString(),
      calendarVersion: calendar.version,
    };
  }

  /** The people the event names (existing, active users) and the criteria in force: what `decide` needs beyond the case. */
  private async decisionInputs(tx: Tx, event: CaseEvent): Promise<DecisionInputs> {
    const ids = peopleNamed(event);
    const users = ids.length > 0 ? (await this.users.findByIds(tx, ids)).filter((u) => u.active) : [];
    return {
      people: new Map(users.map((u) => [u.id, { username: u.username, roles: u.roles as Role[] }])),
      currentCriteria: this.config.policies.criteria.criteria,
    };
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
  async sendEvent(actor: Actor, caseId: string, input: EventRequest): Promise<CaseView> {
    const recent = this.recent.get(caseId);
    if (recent && recent.record.version === input.expectedVersion) {
      // The case as this process last wrote it: no read. Anything but a successful write (it moved,
      // or the event was refused on what may be an old picture) is decided again on a fresh read.
      try {
        const view = await this.tx.connection((tx) => this.tryEvent(tx, actor, caseId, input, recent));
        if (view) return view;
      } catch (err) {
        if (!(err instanceof DomainException)) throw err;
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
    input: EventRequest,
    source: 'read' | 'lock' | RecentCase,
  ): Promise<CaseView | null> {
    const read = typeof source === 'object' ? source : await this.cases.readForEvent(tx, caseId, source === 'lock');
    if (!read) throw notFound('case');
    const { record, nextSeq, openTasks } = read;
    // Taken after the read: every entry already on the chain committed before it, so times rise
    // along the chain and `asOf` sees a clean prefix of it.
    const at = new Date().toISOString();
    if (record.version !== input.expectedVersion) {
      throw new DomainException(
        DomainErrorCode.VersionConflict,
        `The case is at version ${record.version} but the event was sent for version ${input.expectedVersion}: someone moved it first. Reload the case and decide again.`,
        { currentVersion: record.version, currentState: record.state },
      );
    }
    const { event, server } = await this.withServerFields(tx, input, record, { actor, at });
    const snapshot = typeof source === 'object' ? source.snapshot : restoreSnapshot(record.snapshot, record.machineVersion);
    const decision = decide(snapshot, event, await this.decisionInputs(tx, event));
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
        reason: reasonOf(input.input),
        payload: { ...eventPayload(input, server, newVersion) },
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

  private async taskInputs(tx: Tx, snapshot: CaseSnapshot): Promise<TaskInputs> {
    const p = this.config.policies;
    const committeeMembers =
      statePath(snapshot.value) === 'committee'
        ? (await this.users.withAnyRole(tx, ['committee_member', 'committee_chair'])).map((u) => ({
            id: u.id,
            chair: u.roles.includes('committee_chair'),
          }))
        : [];
    // The verifier roles frozen into the review; the current file only for reviews opened before they were frozen.
    const defs = snapshot.context.exemption?.criteriaDefinitions ?? p.criteria.criteria;
    const queues = new Map(defs.map((c) => [c.code, c.verifierRoles[0] as Role]));
    return {
      committeeMembers,
      criterionQueue: (c) => queues.get(c) ?? 'compliance_officer',
      monitoringCadenceDays: p.monitoring.reportCadenceDays,
    };
  }

  /** The tasks the snapshot waits on, with their due times (fixed, or from the queue's SLA). */
  private async desiredTasks(tx: Tx, snapshot: CaseSnapshot, at: string): Promise<NewTask[]> {
    const { sla, calendar } = this.config.policies;
    const now = new Date(at);
    return desiredTasks(snapshot, await this.taskInputs(tx, snapshot)).map((t) => ({
      key: t.key,
      kind: t.kind,
      queue: t.queue,
      assigneeId: t.assigneeId,
      dueAt: t.dueAt ?? dueAt(now, sla.queues[t.queue], calendar).toISOString(),
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
        const event = eventFromHistory(e);
        if (!event) continue;
        [snapshot] = transition(caseMachine, snapshot, event);
        version = historyVersion(e) ?? version;
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
