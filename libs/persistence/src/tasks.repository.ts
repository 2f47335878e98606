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
  queues: string[];
  assigneeId?: string | null;
  /** Only tasks assigned to this user or in one of `queues` (the caller's own view). */
  visibleTo?: string;
  status: 'open' | 'done';
  caseId?: string;
  after?: { dueAt: string; id: string };
  limit: number;
}

@Injectable()
export class TasksRepository {
  async openForCase(tx: Tx, caseId: string): Promise<TaskRecord[]> {
    const rows = (await tx.manager.query(`SELECT * FROM tasks WHERE case_id = $1 AND status = 'open' ORDER BY due_at, id`, [caseId])) as TaskRow[];
    return rows.map(toTaskRecord);
  }

  /** Open tasks of several cases in one query (a page of a case list). */
  async openForCases(tx: Tx, caseIds: string[]): Promise<Map<string, TaskRecord[]>> {
    const out = new Map<string, TaskRecord[]>(caseIds.map((id) => [id, []]));
    if (caseIds.length === 0) return out;
    const rows = (await tx.manager.query(`SELECT * FROM tasks WHERE case_id = ANY($1::uuid[]) AND status = 'open' ORDER BY due_at, id`, [caseIds])) as TaskRow[];
    for (const r of rows) out.get(r.case_id)!.push(toTaskRecord(r));
    return out;
  }

  /**
   * Makes the case's open tasks match `desired`: completes those no longer wanted, opens the new
   * ones, and stamps the remaining ones with the new case state. Runs inside the event's transaction.
   */
  async sync(tx: Tx, caseId: string, caseState: string, desired: NewTask[], actorId: string, at: string): Promise<{ opened: TaskRecord[]; completed: TaskRecord[] }> {
    const keys = desired.map((d) => d.key);
    const completed = (await tx.manager.query(
      `UPDATE tasks SET status = 'done', completed_at = $3, completed_by = $4
        WHERE case_id = $1 AND status = 'open' AND NOT (key = ANY($2::varchar[])) RETURNING *`,
      [caseId, keys, at, actorId],
    )) as [TaskRow[], number];
    const kept = (await tx.manager.query(
      `UPDATE tasks SET case_state = $2 WHERE case_id = $1 AND status = 'open' RETURNING key`,
      [caseId, caseState],
    )) as [{ key: string }[], number];
    const existing = new Set(kept[0].map((r) => r.key));
    const toOpen = desired.filter((d) => !existing.has(d.key));
    let opened: TaskRow[] = [];
    if (toOpen.length > 0) {
      opened = (await tx.manager.query(
        `INSERT INTO tasks (case_id, key, kind, queue, case_state, assignee_id, status, due_at, created_at)
         SELECT $1, t.key, t.kind, t.queue, $2, t.assignee_id, 'open', t.due_at, $3
           FROM jsonb_to_recordset($4::jsonb) AS t(key varchar, kind varchar, queue varchar, assignee_id uuid, due_at timestamptz)
         RETURNING *`,
        [caseId, caseState, at, JSON.stringify(toOpen.map((t) => ({ key: t.key, kind: t.kind, queue: t.queue, assignee_id: t.assigneeId, due_at: t.dueAt })))],
      )) as TaskRow[];
    }
    return { opened: opened.map(toTaskRecord), completed: completed[0].map(toTaskRecord) };
  }

  async findById(tx: Tx, id: string): Promise<TaskRecord | null> {
    const rows = (await tx.manager.query(`SELECT * FROM tasks WHERE id = $1`, [id])) as TaskRow[];
    return rows[0] ? toTaskRecord(rows[0]) : null;
  }

  async lock(tx: Tx, id: string): Promise<TaskRecord | null> {
    const rows = (await tx.manager.query(`SELECT * FROM tasks WHERE id = $1 FOR UPDATE`, [id])) as TaskRow[];
    return rows[0] ? toTaskRecord(rows[0]) : null;
  }

  async setAssignee(tx: Tx, id: string, assigneeId: string | null): Promise<TaskRecord> {
    const rows = (await tx.manager.query(`UPDATE tasks SET assignee_id = $2 WHERE id = $1 RETURNING *`, [id, assigneeId])) as [TaskRow[], number];
    return toTaskRecord(rows[0][0]);
  }

  async list(tx: Tx, f: TaskListFilter): Promise<TaskRecord[]> {
    const params: unknown[] = [f.status];
    const where = ['status = $1'];
    const p = (v: unknown) => {
      params.push(v);
      return `$${params.length}`;
    };
    if (f.visibleTo) where.push(`(queue = ANY(${p(f.queues)}::varchar[]) OR assignee_id = ${p(f.visibleTo)})`);
    else where.push(`queue = ANY(${p(f.queues)}::varchar[])`);
    if (f.assigneeId === null) where.push('assignee_id IS NULL');
    else if (f.assigneeId) where.push(`assignee_id = ${p(f.assigneeId)}`);
    if (f.caseId) where.push(`case_id = ${p(f.caseId)}`);
    if (f.after) where.push(`(due_at, id) > (${p(f.after.dueAt)}, ${p(f.after.id)})`);
    const rows = (await tx.manager.query(
      `SELECT * FROM tasks WHERE ${where.join(' AND ')} ORDER BY due_at, id LIMIT ${p(f.limit)}`,
      params,
    )) as TaskRow[];
    return rows.map(toTaskRecord);
  }
}
