import { Injectable } from '@nestjs/common';
import { CASE_ACTORS, caseReadScope, NAMED_TASK_KINDS, PERSONAL_TASK_KINDS, type Actor, type Role } from '@app/case-workflow';
import { CasesRepository, HistoryRecorder, TasksRepository, TransactionRunner, type TaskRecord, type Tx } from '@app/persistence';
import { toTaskView, type TaskView } from '../cases/case-view';
import { CasesService } from '../cases/cases.service';
import { decodeKeysetCursor, encodeKeysetCursor } from '../common/keyset-cursor';
import { DomainErrorCode, DomainException, notFound } from '../domain.exception';
import { Clock } from '../clock';
import { IdempotencyService, type IdempotentRequest } from '../idempotency/idempotency.service';

export interface TaskQuery {
  queue?: Role;
  assignee?: 'me' | 'unassigned';
  status: 'open' | 'done';
  caseId?: string;
  limit: number;
  cursor?: string;
}

/** Queues a person may see: those of their roles; auditors see every queue (read-only). */
export function visibleQueues(actor: Actor): Role[] {
  if (actor.roles.includes('auditor')) return [...CASE_ACTORS];
  return actor.roles.filter((r) => CASE_ACTORS.includes(r));
}

/**
 * Need-to-know on a personal task (a hearing statement, PERSONAL_TASK_KINDS): only its assignee sees
 * it, except the oversight roles, who read every case (the auditor sees every queue).
 */
const personalFilter = (actor: Actor) => (caseReadScope(actor).all ? undefined : { kinds: PERSONAL_TASK_KINDS, viewerId: actor.id });

/** A queue row: the task and what the person needs to recognise its case without opening it. */
export interface QueueTaskView extends TaskView {
  companyName: string;
  fundId: string;
}

const toDueCursor = ({ at, id }: { at: string; id: string }) => ({ dueAt: at, id });

@Injectable()
export class TasksService {
  constructor(
    private readonly clock: Clock,
    private readonly tx: TransactionRunner,
    private readonly tasks: TasksRepository,
    private readonly cases: CasesRepository,
    private readonly recorder: HistoryRecorder,
    private readonly idempotency: IdempotencyService,
    private readonly casesService: CasesService,
  ) {}

  async list(actor: Actor, q: TaskQuery): Promise<{ items: QueueTaskView[]; nextCursor: string | null }> {
    const queues = visibleQueues(actor);
    if (q.queue && !queues.includes(q.queue)) {
      throw new DomainException(
        DomainErrorCode.Forbidden,
        `You may not see the ${q.queue} queue; your queues are ${queues.join(', ') || 'none'}.`,
      );
    }
    const { rows, cases } = await this.tx.none(async (tx) => {
      const rows = await this.tasks.list(tx, {
        queues: q.queue ? [q.queue] : queues,
        visibleTo: q.queue ? undefined : actor.id,
        personal: personalFilter(actor),
        assigneeId: q.assignee === 'me' ? actor.id : q.assignee === 'unassigned' ? null : undefined,
        status: q.status,
        caseId: q.caseId,
        after: q.cursor ? toDueCursor(decodeKeysetCursor(q.cursor)) : undefined,
        limit: q.limit + 1,
      });
      const cases = await this.cases.summaries(tx, [...new Set(rows.slice(0, q.limit).map((t) => t.caseId))]);
      return { rows, cases };
    });
    const page = rows.slice(0, q.limit);
    const now = this.clock.now().getTime();
    return {
      items: page.map((t) => {
        const c = cases.get(t.caseId);
        return { ...toTaskView(t, now), companyName: c?.companyName ?? '', fundId: c?.fundId ?? '' };
      }),
      nextCursor: rows.length > q.limit && page.length ? encodeKeysetCursor(page[page.length - 1].dueAt, page[page.length - 1].id) : null,
    };
  }

  /** Takes a task: 409 when someone else holds it; claiming one's own task again changes nothing. */
  async claim(actor: Actor, taskId: string, idem?: IdempotentRequest): Promise<TaskView> {
    return this.tx.run(async (tx) => this.answered(tx, idem, await this.claimIn(tx, actor, taskId)));
  }

  private async claimIn(tx: Tx, actor: Actor, taskId: string): Promise<TaskView> {
    const task = await this.lockVisible(tx, actor, taskId);
    if (task.assigneeId === actor.id) return toTaskView(task, this.clock.now().getTime());
    if (task.assigneeId !== null) {
      throw new DomainException(DomainErrorCode.Conflict, 'Someone else holds this task; ask them to release it.', {
        assigneeId: task.assigneeId,
      });
    }
    const updated = await this.recorder.append(tx, { kind: 'task_claimed', actor, at: this.clock.nowIso(), task });
    return toTaskView(updated, this.clock.now().getTime());
  }

  /** With an Idempotency-Key, stores the answer (200) in the claim's or release's transaction. */
  private async answered(tx: Tx, idem: IdempotentRequest | undefined, view: TaskView): Promise<TaskView> {
    if (idem) await this.idempotency.record(tx, idem, 200, view);
    return view;
  }

  /** Gives a task back to its queue: 409 unless the caller holds it. */
  async release(actor: Actor, taskId: string, idem?: IdempotentRequest): Promise<TaskView> {
    return this.tx.run(async (tx) => this.answered(tx, idem, await this.releaseIn(tx, actor, taskId)));
  }

  private async releaseIn(tx: Tx, actor: Actor, taskId: string): Promise<TaskView> {
    const task = await this.lockVisible(tx, actor, taskId);
    if (task.assigneeId !== actor.id) {
      throw new DomainException(
        DomainErrorCode.Conflict,
        task.assigneeId === null
          ? 'This task is not claimed; there is nothing to release.'
          : 'Someone else holds this task; only they can release it.',
        { assigneeId: task.assigneeId },
      );
    }
    if (NAMED_TASK_KINDS.includes(task.kind))
      throw new DomainException(
        DomainErrorCode.Conflict,
        'This task is yours by name (a hearing statement or the confirmation of an appeal ruling): only you can do it, so it cannot be released to the queue.',
        { kind: task.kind },
        '此任务指定由您本人办理（陈述申辩或确认复核决定），他人无法代办，不能退回队列。',
      );
    const updated = await this.recorder.append(tx, { kind: 'task_released', actor, at: this.clock.nowIso(), task });
    return toTaskView(updated, this.clock.now().getTime());
  }

  /**
   * Finds the task and locks its case's row before reading it again: every change to a case's tasks
   * (events, claims, escalation) holds that lock, always taken first, so they never deadlock and the
   * claim's audit entry extends the case's chain in order.
   */
  private async lockVisible(tx: Tx, actor: Actor, taskId: string): Promise<TaskRecord> {
    const found = await this.tasks.findById(tx, taskId);
    // Need-to-know: a task of a case the caller may not read does not exist for them (as an unknown id).
    if (!found || !this.canSee(actor, found) || !(await this.casesService.mayRead(tx, actor, found.caseId))) throw notFound('task');
    await this.cases.lock(tx, found.caseId);
    const task = (await this.tasks.findById(tx, taskId))!;
    if (task.assigneeId !== actor.id && !actor.roles.includes(task.queue as Role)) {
      if (actor.roles.includes('auditor'))
        throw new DomainException(DomainErrorCode.Forbidden, 'Auditors have read-only access and cannot claim tasks.');
      throw new DomainException(
        DomainErrorCode.Forbidden,
        `This task was escalated to your queue for follow-up; only the ${task.queue} queue can claim it.`,
        { queue: task.queue, escalatedTo: task.escalatedTo },
      );
    }
    if (task.status !== 'open') throw new DomainException(DomainErrorCode.Conflict, 'This task is already completed.');
    return task;
  }

  /** What GET /api/tasks would show the caller: their queues, tasks escalated to them, their own (a personal task: only their own). */
  private canSee(actor: Actor, task: TaskRecord): boolean {
    if (task.assigneeId === actor.id) return true;
    const personal = personalFilter(actor);
    if (personal?.kinds.includes(task.kind)) return false;
    const queues = visibleQueues(actor) as string[];
    return queues.includes(task.queue) || (task.escalatedTo !== null && queues.includes(task.escalatedTo));
  }
}
