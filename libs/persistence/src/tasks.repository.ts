import { Injectable } from '@nestjs/common';
import type { Tx } from './transaction';

export interface TaskRecord {
  id: string;
  caseId: string;
  key: string;
  kind: string;
  queue: string;
  caseState: string;
  assigneeId: string | null;
  status: 'open' | 'done';
  dueAt: string;
  escalatedAt: string | null;
  escalatedTo: string | null;
  createdAt: string;
  completedAt: string | null;
  completedBy: string | null;
}

export interface TaskRow {
  id: string;
  case_id: string;
  key: string;
  kind: string;
  queue: string;
  case_state: string;
  assignee_id: string | null;
  status: 'open' | 'done';
  due_at: Date | string;
  escalated_at: Date | string | null;
  escalated_to: string | null;
  created_at: Date | string;
  completed_at: Date | string | null;
  completed_by: string | null;
}

/** Rows come as Date objects, or as strings when read through json_agg. */
const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());
export const toTaskRecord = (r: TaskRow): TaskRecord => ({
  id: r.id,
  caseId: r.case_id,
  key: r.key,
  kind: r.kind,
  queue: r.queue,
  caseState: r.case_state,
  assigneeId: r.assignee_id,
  status: r.status,
  dueAt: iso(r.due_at)!,
  escalatedAt: iso(r.escalated_at),
  escalatedTo: r.escalated_to,
  createdAt: iso(r.created_at)!,
  completedAt: iso(r.completed_at),
  completedBy: r.completed_by,
});

export interface NewTask {
  key: string;
  kind: string;
  queue: string;
  assigneeId: string | null;
  dueAt: string;
}

export interface TaskListFilter {
  /** Tasks of these queues, and tasks escalated to them. */
  queues: string[];
  assigneeId?: string | null;
  /** Also tasks assigned to this user, whatever their queue (the caller's own view). */
  visibleTo?: string;
  /**
   * Need-to-know: tasks of these kinds (personal tasks, `PERSONAL_TASK_KINDS`) are listed by their
   * queue only to their assignee, this user (absent: listed to whoever sees the queue).
   */
  personal?: { kinds: readonly string[]; viewerId: string };
  status: 'open' | 'done';
  caseId?: string;
  after?: { dueAt: string; id: string };
  limit: number;
}

@Injectable()
export class TasksRepository {
  async openForCase(tx: Tx, caseId: string): Promise<TaskRecord[]> {
    const rows = await tx.manager.query<TaskRow[]>(`SELECT * FROM tasks WHERE case_id = $1 AND status = 'open' ORDER BY due_at, id`, [
      caseId,
    ]);
    return rows.map(toTaskRecord);
  }

  /** Open tasks of several cases in one query (a page of a case list). */
  async openForCases(tx: Tx, caseIds: string[]): Promise<Map<string, TaskRecord[]>> {
    const out = new Map<string, TaskRecord[]>(caseIds.map((id) => [id, []]));
    if (caseIds.length === 0) return out;
    const rows = await tx.manager.query<TaskRow[]>(
      `SELECT * FROM tasks WHERE case_id = ANY($1::uuid[]) AND status = 'open' ORDER BY due_at, id`,
      [caseIds],
    );
    for (const r of rows) out.get(r.case_id)!.push(toTaskRecord(r));
    return out;
  }

  async findById(tx: Tx, id: string): Promise<TaskRecord | null> {
    const rows = await tx.manager.query<TaskRow[]>(`SELECT * FROM tasks WHERE id = $1`, [id]);
    return rows[0] ? toTaskRecord(rows[0]) : null;
  }

  async lock(tx: Tx, id: string): Promise<TaskRecord | null> {
    const rows = await tx.manager.query<TaskRow[]>(`SELECT * FROM tasks WHERE id = $1 FOR UPDATE`, [id]);
    return rows[0] ? toTaskRecord(rows[0]) : null;
  }

  /**
   * A page of tasks in (due_at, id) order: overdue ones first, as they are due earliest. Each way a
   * task can be visible (its queue, the queue it was escalated to, its assignee) is its own branch that
   * walks one index in order and stops after `limit` rows, so a page costs the same with a million
   * tasks in the table; the branches are merged and cut to `limit`.
   */
  async list(tx: Tx, f: TaskListFilter): Promise<TaskRecord[]> {
    const params: unknown[] = [];
    const p = (v: unknown) => {
      params.push(v);
      return `$${params.length}`;
    };
    const common = [`status = ${p(f.status)}`];
    if (f.assigneeId === null) common.push('assignee_id IS NULL');
    else if (f.assigneeId) common.push(`assignee_id = ${p(f.assigneeId)}`);
    if (f.caseId) common.push(`case_id = ${p(f.caseId)}`);
    if (f.after) common.push(`(due_at, id) > (${p(f.after.dueAt)}::timestamptz, ${p(f.after.id)}::uuid)`);
    const limit = p(f.limit);
    const personal = f.personal ? ` AND (kind <> ALL(${p(f.personal.kinds)}::text[]) OR assignee_id = ${p(f.personal.viewerId)})` : '';
    const branches = [
      ...f.queues.map((q) => `queue = ${p(q)}${personal}`),
      ...f.queues.map((q) => `escalated_to = ${p(q)}${personal}`),
      ...(f.visibleTo ? [`assignee_id = ${p(f.visibleTo)}`] : []),
    ];
    if (branches.length === 0) return [];
    const union = branches
      .map((b) => `(SELECT * FROM tasks WHERE ${b} AND ${common.join(' AND ')} ORDER BY due_at, id LIMIT ${limit})`)
      .join(' UNION ');
    const rows = await tx.manager.query<TaskRow[]>(`SELECT * FROM (${union}) AS visible ORDER BY due_at, id LIMIT ${limit}`, params);
    return rows.map(toTaskRecord);
  }

  /**
   * Cases with open tasks past their due time and not yet escalated, the most overdue first; tasks of
   * the kinds in `exceptKinds` are never escalated.
   */
  async casesWithOverdueTasks(tx: Tx, now: Date, limit: number, exceptKinds: readonly string[] = []): Promise<string[]> {
    const rows = await tx.manager.query<{ case_id: string }[]>(
      `SELECT DISTINCT case_id FROM (
         SELECT case_id FROM tasks
          WHERE status = 'open' AND escalated_at IS NULL AND due_at <= $1 AND kind <> ALL($3::text[])
          ORDER BY due_at LIMIT $2
       ) AS overdue`,
      [now, limit, exceptKinds],
    );
    return rows.map((r) => r.case_id);
  }

  /**
   * The open, overdue, not yet escalated tasks of these cases, read after the caller locked the cases'
   * rows: no event, claim or other scheduler changes them until the caller commits.
   */
  async overdueOf(tx: Tx, caseIds: string[], now: Date, exceptKinds: readonly string[] = []): Promise<TaskRecord[]> {
    const rows = await tx.manager.query<TaskRow[]>(
      `SELECT * FROM tasks
        WHERE case_id = ANY($1::uuid[]) AND status = 'open' AND escalated_at IS NULL AND due_at <= $2 AND kind <> ALL($3::text[])
        ORDER BY case_id, due_at, id`,
      [caseIds, now, exceptKinds],
    );
    return rows.map(toTaskRecord);
  }
}
