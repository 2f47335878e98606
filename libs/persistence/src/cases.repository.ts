import { Injectable } from '@nestjs/common';
import type { AuditEntry } from '@app/audit';
import { toTaskRecord, type NewTask, type TaskRecord, type TaskRow } from './tasks.repository';
import { CASE_APPLY_EVENT_SQL, CASE_READ_FOR_EVENT_SQL } from './case-event.sql';
import type { Tx } from './transaction';

export interface CaseRecord {
  id: string;
  fundId: string;
  companyName: string;
  sector: string;
  requestedAmountFen: number;
  summary: string;
  ownerId: string;
  state: string;
  snapshot: Record<string, unknown>;
  machineVersion: number;
  version: number;
  investedFen: number | null;
  proceedsFen: number | null;
  headHash: string | null;
  createdAt: string;
  updatedAt: string;
}

interface CaseRow {
  id: string;
  fund_id: string;
  company_name: string;
  sector: string;
  requested_amount_fen: string;
  summary: string;
  owner_id: string;
  state: string;
  snapshot: Record<string, unknown>;
  machine_version: number;
  version: number;
  invested_fen: string | null;
  proceeds_fen: string | null;
  head_hash: string | null;
  created_at: Date;
  updated_at: Date;
}

const toRecord = (r: CaseRow): CaseRecord => ({
  id: r.id,
  fundId: r.fund_id,
  companyName: r.company_name,
  sector: r.sector,
  requestedAmountFen: Number(r.requested_amount_fen),
  summary: r.summary,
  ownerId: r.owner_id,
  state: r.state,
  snapshot: r.snapshot,
  machineVersion: r.machine_version,
  version: r.version,
  investedFen: r.invested_fen === null ? null : Number(r.invested_fen),
  proceedsFen: r.proceeds_fen === null ? null : Number(r.proceeds_fen),
  headHash: r.head_hash,
  createdAt: r.created_at.toISOString(),
  updatedAt: r.updated_at.toISOString(),
});

export interface NewCase {
  id: string;
  fundId: string;
  companyName: string;
  sector: string;
  requestedAmountFen: number;
  summary: string;
  ownerId: string;
  state: string;
  snapshot: Record<string, unknown>;
  machineVersion: number;
  headHash: string;
  createdAt: string;
}

export interface CaseUpdate {
  id: string;
  expectedVersion: number;
  /** The chain head as read: a claim or escalation since then moved it, and the write is refused. */
  expectedHeadHash: string | null;
  state: string;
  snapshot: Record<string, unknown>;
  /** The snapshot's JSON when the caller has it already (sent as is, not serialised again). */
  snapshotText?: string;
  machineVersion: number;
  investedFen: number | null;
  proceedsFen: number | null;
  headHash: string;
  at: string;
}

/** How an event changes a case's open tasks: keys to complete, and tasks to open. */
export interface TaskChanges {
  completeKeys: string[];
  open: NewTask[];
}

export interface CaseListFilter {
  state?: string;
  fundId?: string;
  ownerId?: string;
  /** Keyset cursor: cases created before this (createdAt, id), newest first. */
  before?: { createdAt: string; id: string };
  limit: number;
}

@Injectable()
export class CasesRepository {
  async insert(tx: Tx, c: NewCase): Promise<CaseRecord> {
    const rows = await tx.manager.query<CaseRow[]>(
      `INSERT INTO cases (id, fund_id, company_name, sector, requested_amount_fen, summary, owner_id, state, snapshot, machine_version, version, head_hash, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 1, $11, $12, $12) RETURNING *`,
      [
        c.id,
        c.fundId,
        c.companyName,
        c.sector,
        c.requestedAmountFen,
        c.summary,
        c.ownerId,
        c.state,
        c.snapshot,
        c.machineVersion,
        c.headHash,
        c.createdAt,
      ],
    );
    return toRecord(rows[0]);
  }

  async findById(tx: Tx, id: string): Promise<CaseRecord | null> {
    const rows = await tx.manager.query<CaseRow[]>(`SELECT * FROM cases WHERE id = $1`, [id]);
    return rows[0] ? toRecord(rows[0]) : null;
  }

  /**
   * Reads the case for an event, and in the same round trip takes the next audit seq and reads the
   * case's open tasks. Locks nothing unless asked (inside a transaction): `applyEvent` writes only if
   * the case is still as read.
   */
  async readForEvent(tx: Tx, id: string, lock = false): Promise<{ record: CaseRecord; nextSeq: string; openTasks: TaskRecord[] } | null> {
    const rows = await tx.prepared<CaseRow & { next_seq: string; open_tasks: TaskRow[] | null }>(
      lock ? 'case_read_for_event_locked' : 'case_read_for_event',
      lock ? `${CASE_READ_FOR_EVENT_SQL} FOR UPDATE OF c` : CASE_READ_FOR_EVENT_SQL,
      [id],
    );
    const row = rows[0];
    if (!row) return null;
    return { record: toRecord(row), nextSeq: row.next_seq, openTasks: (row.open_tasks ?? []).map(toTaskRecord) };
  }

  /**
   * Writes one accepted event in a single statement (one transaction): the case with version + 1, its
   * history entry, and the task changes, only if the case still has the version and chain head it was
   * read with. Returns null when it has moved.
   */
  async applyEvent(
    tx: Tx,
    u: CaseUpdate,
    entry: AuditEntry,
    tasks: TaskChanges,
  ): Promise<{ record: CaseRecord; opened: TaskRecord[]; nextSeq: string } | null> {
    const rows = await tx.prepared<Omit<CaseRow, 'snapshot'> & { opened: TaskRow[]; next_seq: string }>(
      'case_apply_event',
      CASE_APPLY_EVENT_SQL,
      [
        u.id,
        u.expectedVersion,
        u.state,
        u.snapshotText ?? u.snapshot,
        u.machineVersion,
        u.investedFen,
        u.proceedsFen,
        u.headHash,
        u.at,
        entry.seq,
        entry.actorId,
        entry.actorRoles,
        entry.type,
        entry.fromState,
        entry.reason,
        entry.payload,
        entry.prevHash,
        tasks.completeKeys,
        JSON.stringify(tasks.open.map((t) => ({ key: t.key, kind: t.kind, queue: t.queue, assignee_id: t.assigneeId, due_at: t.dueAt }))),
        u.expectedHeadHash,
      ],
    );
    const row = rows[0];
    return row ? { record: toRecord({ ...row, snapshot: u.snapshot }), opened: row.opened.map(toTaskRecord), nextSeq: row.next_seq } : null;
  }

  /** Moves the chain head after a non-event entry (claim, release, escalation) of this case. */
  async setHeadHash(tx: Tx, id: string, headHash: string): Promise<void> {
    await tx.manager.query(`UPDATE cases SET head_hash = $2 WHERE id = $1`, [id, headHash]);
  }

  /** Locks the case row, the lock every change to a case or its tasks takes first. */
  async lock(tx: Tx, id: string): Promise<boolean> {
    const rows = await tx.manager.query<unknown[]>(`SELECT id FROM cases WHERE id = $1 FOR UPDATE`, [id]);
    return rows.length > 0;
  }

  /** Locks those of these cases that nobody else holds, and returns their ids (for background work). */
  async lockAvailable(tx: Tx, ids: string[]): Promise<string[]> {
    const rows = await tx.manager.query<
      {
        id: string;
      }[]
    >(`SELECT id FROM cases WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE SKIP LOCKED`, [ids]);
    return rows.map((r) => r.id);
  }

  /** Locks the case row only to append to its chain (no state change). */
  async lockChainHead(tx: Tx, id: string): Promise<{ headHash: string | null; nextSeq: string } | null> {
    const rows = await tx.manager.query<{ head_hash: string | null; next_seq: string }[]>(
      `SELECT head_hash, nextval('audit_entries_seq')::text AS next_seq FROM cases WHERE id = $1 FOR UPDATE`,
      [id],
    );
    return rows[0] ? { headHash: rows[0].head_hash, nextSeq: rows[0].next_seq } : null;
  }

  async list(tx: Tx, f: CaseListFilter): Promise<CaseRecord[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (sql: string, ...values: unknown[]) => {
      let out = sql;
      for (const v of values) {
        params.push(v);
        out = out.replace('?', `$${params.length}`);
      }
      where.push(out);
    };
    if (f.state) add('(state = ? OR state LIKE ?)', f.state, `${f.state}.%`);
    if (f.fundId) add('fund_id = ?', f.fundId);
    if (f.ownerId) add('owner_id = ?', f.ownerId);
    if (f.before) add('(created_at, id) < (?, ?)', f.before.createdAt, f.before.id);
    params.push(f.limit);
    const rows = await tx.manager.query<CaseRow[]>(
      `SELECT * FROM cases ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY created_at DESC, id DESC LIMIT $${params.length}`,
      params,
    );
    return rows.map(toRecord);
  }

  /** Capital invested and realised losses of a fund's cases, over the fund's whole life. */
  async fundFigures(tx: Tx, fundId: string): Promise<{ investedFen: number; realizedLossFen: number }> {
    const [row] = await tx.manager.query<{ invested: string; loss: string }[]>(
      `SELECT COALESCE(SUM(invested_fen), 0)::text AS invested,
              COALESCE(SUM(GREATEST(invested_fen - proceeds_fen, 0)) FILTER (WHERE proceeds_fen IS NOT NULL), 0)::text AS loss
         FROM cases WHERE fund_id = $1 AND invested_fen IS NOT NULL`,
      [fundId],
    );
    return { investedFen: Number(row.invested), realizedLossFen: Number(row.loss) };
  }
}
