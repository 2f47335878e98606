import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { initialTransition } from 'xstate';
import type { AuditEntry } from '@app/audit';
import {
  autoEvidenceOf,
  availableEvents,
  caseMachine,
  caseReadScope,
  mayReadCase,
  computeTolerance,
  caseEvent,
  CASE_ACTORS,
  currentHearing,
  decide,
  openAppealRound,
  pendingProposal,
  peopleNamed,
  desiredTasks,
  proceduralReport,
  replayHistory,
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
  CaseLoader,
  CasesRepository,
  EvidenceRepository,
  FundsRepository,
  HistoryRecorder,
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
import { citedEvidenceIds, citeEvidence } from '../evidence/evidence-citation';
import { IdempotencyService, type IdempotentRequest } from '../idempotency/idempotency.service';
import { dueAt } from '../tasks/sla';
import { toCaseView, type CaseView } from './case-view';
import { Clock } from '../clock';

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

const cursorToCreated = ({ at, id }: { at: string; id: string }) => ({ createdAt: at, id });

@Injectable()
export class CasesService {
  private readonly logger = new Logger(CasesService.name);

  constructor(
    private readonly clock: Clock,
    private readonly tx: TransactionRunner,
    private readonly loader: CaseLoader,
    private readonly recorder: HistoryRecorder,
    private readonly cases: CasesRepository,
    private readonly funds: FundsRepository,
    private readonly users: UsersRepository,
    private readonly tasks: TasksRepository,
    private readonly audit: AuditRepository,
    private readonly evidence: EvidenceRepository,
    private readonly config: AppConfigService,
    private readonly idempotency: IdempotencyService,
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
      lossTiers: { ...p.lossTiers, tiers: p.lossTiers.tiers.map((t) => ({ ...t })) },
      dueProcess: this.dueProcessPolicy(),
    };
  }

  private dueProcessPolicy() {
    const d = this.config.policies.dueProcess;
    return { ...d, hearing: { ...d.hearing }, appeal: { ...d.appeal, roles: [...d.appeal.roles] } };
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
    snapshot: CaseSnapshot,
    meta: EventMeta,
  ): Promise<{ event: CaseEvent; server: object }> {
    const p = this.config.policies;
    switch (request.type) {
      case 'VERIFY_CRITERION': {
        // The automatic evidence of an `auto` criterion, from the history as it stands (recorded, so a replay decides the same).
        const ex = snapshot.context.exemption;
        const def = (ex?.criteriaDefinitions ?? p.criteria.criteria).find((d) => d.code === request.input.criterion);
        if (!ex || def?.evidence !== 'auto' || statePath(snapshot.value) !== 'exemptionReview.verification') {
          return { event: caseEvent(request, {}, meta), server: {} };
        }
        const report = proceduralReport(await this.audit.listByCase(tx, record.id), ex.monitoringPolicy ?? p.monitoring, meta.at);
        const autoEvidence = autoEvidenceOf(def, report);
        const server = autoEvidence ? { autoEvidence } : {};
        return { event: caseEvent(request, server, meta), server };
      }
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
      case 'PROPOSE_ACCOUNTABILITY': {
        // The hearing period of the review's frozen due-process policy, counted on the working-day calendar.
        const ex = snapshot.context.exemption;
        const periodDays = ex?.dueProcess?.hearing.periodDays ?? p.dueProcess.hearing.periodDays;
        const server = {
          periodDays,
          endsAt:
            record.state === 'exemptionReview.decision'
              ? p.calendar.addWorkingDays(new Date(meta.at), periodDays, 'hearing period (申辩)').toISOString()
              : meta.at,
          calendarVersion: p.calendar.version,
        };
        return { event: caseEvent(request, server, meta), server };
      }
      case 'CONCLUDE_NOTICE': {
        // A decision that refers someone opens the appeal period (申诉) when its notice is concluded.
        const ex = snapshot.context.exemption;
        const d = ex?.decision;
        if (record.state !== 'exemptionReview.publicNotice' || !ex?.dueProcess || !d || d.accountability.length === 0) {
          return { event: caseEvent(request, {}, meta), server: {} };
        }
        const appealPeriodDays = ex.dueProcess.appeal.periodDays;
        const server = {
          appealPeriodDays,
          appealEndsAt: p.calendar.addWorkingDays(new Date(meta.at), appealPeriodDays, 'appeal period (申诉)').toISOString(),
          calendarVersion: p.calendar.version,
        };
        return { event: caseEvent(request, server, meta), server };
      }
      case 'REOPEN_REVIEW': {
        const server = { dueProcess: this.dueProcessPolicy() };
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

  /** Proposes a case (201); with `idem`, the answer is stored in the same transaction. */
  async create(actor: Actor, input: NewCaseInput, idem?: IdempotentRequest): Promise<CaseView> {
    const at = this.clock.nowIso();
    return this.tx.run(async (tx) => {
      if (!(await this.funds.findById(tx, input.fundId))) {
        throw new DomainException(DomainErrorCode.InvalidInput, `No fund with id ${input.fundId} exists; GET /api/funds lists the funds.`);
      }
      const [snapshot] = initialTransition(caseMachine, { ownerId: actor.id, requestedAmountFen: input.requestedAmountFen });
      const { record, openTasks } = await this.recorder.append(tx, {
        kind: 'case_created',
        actor,
        at,
        caseId: randomUUID(),
        input,
        snapshot,
        tasks: await this.plannedTasks(tx, snapshot, at),
      });
      const view = this.toView(record, snapshot, actor, openTasks);
      if (idem) await this.idempotency.record(tx, idem, 201, view);
      return view;
    });
  }

  async get(actor: Actor, id: string): Promise<CaseView> {
    return this.tx.none(async (tx) => {
      const { record, snapshot, openTasks } = await this.readable(tx, actor, id);
      return this.toView(record, snapshot, actor, openTasks);
    });
  }

  /**
   * The case, if the actor may know of it (need-to-know, `mayReadCase` in libs/case-workflow), else
   * 404 as for a case that does not exist. Every read of a case, its history, exemption record,
   * evidence and documents goes through here.
   */
  async readable(tx: Tx, actor: Actor, id: string): Promise<{ record: CaseRecord; snapshot: CaseSnapshot; openTasks: TaskRecord[] }> {
    const found = await this.readableOrNull(tx, actor, id);
    if (!found) throw notFound('case');
    return found;
  }

  /** Whether the actor may know of the case (false also when there is none). */
  async mayRead(tx: Tx, actor: Actor, id: string): Promise<boolean> {
    return (await this.readableOrNull(tx, actor, id)) !== null;
  }

  private async readableOrNull(tx: Tx, actor: Actor, id: string) {
    const record = await this.cases.findById(tx, id);
    if (!record) return null;
    const snapshot = restoreSnapshot(record.snapshot, record.machineVersion);
    const openTasks = await this.tasks.openForCase(tx, record.id);
    return (await this.mayKnow(tx, actor, { record, snapshot, openTasks })) ? { record, snapshot, openTasks } : null;
  }

  /**
   * Need-to-know on a loaded case (`mayReadCase`): reads and writes alike ask it first, so someone
   * who may not read a case gets the same 404 from an event as from a read, before any version,
   * role or state check could tell them that it exists. The history is read only when nothing else
   * lets the actor in.
   */
  private async mayKnow(tx: Tx, actor: Actor, c: { record: CaseRecord; snapshot: CaseSnapshot; openTasks: readonly TaskRecord[] }) {
    const facts = {
      state: c.record.state,
      ownerId: c.record.ownerId,
      team: c.snapshot.context.team,
      openTasks: c.openTasks,
      actedOnIt: false,
    };
    return mayReadCase(actor, facts) || mayReadCase(actor, { ...facts, actedOnIt: await this.audit.hasActed(tx, c.record.id, actor.id) });
  }

  async list(actor: Actor, q: CaseListQuery): Promise<{ items: CaseView[]; nextCursor: string | null }> {
    return this.tx.none(async (tx) => {
      const rows = await this.cases.list(tx, {
        readableBy: caseReadScope(actor),
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
   * One event, one transaction: load → decide → record → respond.
   *
   * 1. load: the case with its open tasks (CaseLoader: from this process's memory of its last write,
   *    or one read); 404 unless the actor may read it (need-to-know, as for reads), 409 unless it is at
   *    the expected version; then the server's policy fields and the people and policies the decision needs;
   * 2. decide: `decide()` in libs/case-workflow, pure, checks every rule and permission (403/422);
   * 3. record: HistoryRecorder writes the case with version + 1, the history entry and the task
   *    changes in one statement, only if the case still has the version and chain head it was loaded
   *    with; when it moved (a claim or escalation came in between) the loader runs this again on a
   *    fresh load, and of concurrent senders of one version exactly one wins, the others get 409;
   * 4. respond: the case as written, with the events the caller could send next (with an
   *    Idempotency-Key, stored as the key's first answer in the same transaction).
   */
  async sendEvent(actor: Actor, caseId: string, request: EventRequest, idem?: IdempotentRequest): Promise<CaseView> {
    return this.loader.withCase(
      caseId,
      request.expectedVersion,
      async (tx, loaded) => {
        const { record } = loaded;
        // Need-to-know first: to someone who may not read the case it does not exist (404 as for a read).
        if (!(await this.mayKnow(tx, actor, loaded))) throw notFound('case');
        this.checkVersion(record, request);
        // Taken after the load: every entry already on the chain committed before it, so times rise
        // along the chain and `asOf` sees a clean prefix of it.
        const at = this.clock.nowIso();
        const { event, server } = await this.withServerFields(tx, request, record, loaded.snapshot, { actor, at });
        const decision = decide(loaded.snapshot, event, await this.decisionInputs(tx, event));
        const cited = citedEvidenceIds(request.input);
        // The chain entry records each cited file's SHA-256, so the decision is tied to the files' content.
        const recordedServer =
          cited.length > 0 ? { ...server, citedEvidence: await citeEvidence(this.evidence, tx, caseId, cited) } : server;
        const tasks = await this.plannedTasks(tx, decision.next, at);
        const recorded = await this.recorder.append(tx, {
          kind: 'event',
          actor,
          at,
          loaded,
          request,
          server: recordedServer,
          decision,
          tasks,
        });
        if (!recorded) return null;
        this.logger.log({
          msg: 'case event accepted',
          caseId,
          type: request.type,
          from: decision.fromState,
          to: decision.toState,
          version: recorded.record.version,
        });
        const view = this.toView(recorded.record, decision.next, actor, recorded.openTasks);
        // The first answer to an Idempotency-Key, in the event's transaction: both are written or neither.
        if (idem) await this.idempotency.record(tx, idem, 200, view);
        return view;
      },
      { transaction: idem !== undefined },
    );
  }

  private checkVersion(record: CaseRecord, request: EventRequest): void {
    if (record.version === request.expectedVersion) return;
    throw new DomainException(
      DomainErrorCode.VersionConflict,
      `The case is at version ${record.version} but the event was sent for version ${request.expectedVersion}: someone moved it first. Reload the case and decide again.`,
      { currentVersion: record.version, currentState: record.state },
    );
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
    const panel = snapshot.context.exemption?.panel;
    const panelCandidates =
      panel && statePath(snapshot.value) === 'exemptionReview.decision'
        ? (await this.users.withAnyRole(tx, panel.rule.roles as Role[])).map((u) => ({ id: u.id, roles: u.roles }))
        : [];
    // The people heard (申辩) get their task in their own queue, by their role.
    const hearing = snapshot.context.exemption ? currentHearing(snapshot.context.exemption) : null;
    const heard =
      hearing && statePath(snapshot.value) === 'exemptionReview.decision'
        ? await this.users.findByIds(
            tx,
            hearing.persons.map((p) => p.userId),
          )
        : [];
    const personRoles = new Map(heard.map((u) => [u.id, (u.roles as Role[]).find((r) => CASE_ACTORS.includes(r)) ?? 'investment_manager']));
    // The members of the appeal body a proposed ruling names confirm it in their own queue (machine version 7).
    const open =
      snapshot.context.exemption && statePath(snapshot.value) === 'exemptionReview.appeal'
        ? openAppealRound(snapshot.context.exemption)
        : null;
    const proposal = pendingProposal(open);
    const members = proposal ? await this.users.findByIds(tx, proposal.members) : [];
    const memberRoles = new Map(members.map((u) => [u.id, u.roles as Role[]]));
    // The verifier roles frozen into the review; the current file only for reviews opened before they were frozen.
    const defs = snapshot.context.exemption?.criteriaDefinitions ?? p.criteria.criteria;
    const queues = new Map(defs.map((c) => [c.code, c.verifierRoles[0] as Role]));
    return {
      committeeMembers,
      panelCandidates,
      criterionQueue: (c) => queues.get(c) ?? 'compliance_officer',
      monitoringCadenceDays: p.monitoring.reportCadenceDays,
      personQueue: (id) => personRoles.get(id) ?? 'investment_manager',
      memberQueue: (id, roles) => roles.find((r) => memberRoles.get(id)?.includes(r)) ?? roles[0],
    };
  }

  /** The tasks the snapshot waits on, with their due times (fixed, or from the queue's SLA). */
  private async plannedTasks(tx: Tx, snapshot: CaseSnapshot, at: string): Promise<NewTask[]> {
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

  private toView(record: CaseRecord, snapshot: CaseSnapshot, actor: Actor, tasks: TaskRecord[]): CaseView {
    const now = this.clock.now();
    const events = availableEvents(snapshot, actor, this.probePolicies(), now.toISOString());
    return toCaseView(record, snapshot.context, events, tasks, now.getTime());
  }

  async history(actor: Actor, id: string): Promise<AuditEntry[]> {
    return this.tx.none(async (tx) => {
      await this.readable(tx, actor, id);
      return this.audit.listByCase(tx, id);
    });
  }

  /** The case as it stood at `asOf`, rebuilt by replaying its history through the machine. */
  async asOf(actor: Actor, id: string, asOf: Date): Promise<CaseView> {
    return this.tx.none(async (tx) => {
      const { record } = await this.readable(tx, actor, id);
      const replay = replayHistory(await this.audit.listByCase(tx, id, asOf));
      if (!replay?.snapshot) {
        throw new DomainException(
          DomainErrorCode.NotFound,
          `The case did not exist yet at ${asOf.toISOString()}; it was created at ${record.createdAt}.`,
        );
      }
      const { snapshot, version } = replay;
      const updatedAt = replay.updatedAt ?? record.createdAt;
      const state = statePath(snapshot.value);
      const ctx = snapshot.context;
      const view = toCaseView(
        { ...record, state, version, investedFen: ctx.funding?.amountFen ?? null, proceedsFen: ctx.exit?.proceedsFen ?? null, updatedAt },
        ctx,
        [],
        [],
        asOf.getTime(),
      );
      return { ...view, asOf: asOf.toISOString() };
    });
  }
}
