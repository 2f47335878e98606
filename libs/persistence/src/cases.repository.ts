import { Injectable } from '@nestjs/common';
import { exactFen, type CaseReadScope } from '@app/case-workflow';
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

export interface CaseRow {
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

export const toCaseRecord = (r: CaseRow): CaseRecord => ({
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

/** What a queue row shows of its case: who, which fund, where it stands. */
export interface CaseSummary {
  id: string;
  companyName: string;
  fundId: string;
  state: string;
}

export interface CaseListFilter {
  /** Need-to-know: only the cases this scope may read (`mayReadCase` in libs/case-workflow, as SQL). */
  readableBy: CaseReadScope;
  state?: string;
  fundId?: string;
  ownerId?: string;
  /** Keyset cursor: cases created before this (createdAt, id), newest first. */
  before?: { createdAt: string; id: string };
  limit: number;
}

@Injectable()
export class CasesRepository {
  async findById(tx: Tx, id: string): Promise<CaseRecord | null> {
    const rows = await tx.manager.query<CaseRow[]>(`SELECT * FROM cases WHERE id = $1`, [id]);
    return rows[0] ? toCaseRecord(rows[0]) : null;
  }

  /** The summaries of these cases (one query for a page of queue rows). */
  async summaries(tx: Tx, ids: string[]): Promise<Map<string, CaseSummary>> {
    if (ids.length === 0) return new Map();
    const rows = await tx.manager.query<{ id: string; company_name: string; fund_id: string; state: string }[]>(
      `SELECT id, company_name, fund_id, state FROM cases WHERE id = ANY($1::uuid[])`,
      [ids],
    );
    return new Map(rows.map((r) => [r.id, { id: r.id, companyName: r.company_name, fundId: r.fund_id, state: r.state }]));
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
    if (!f.readableBy.all) {
      const { userId, queues, states, personalTaskKinds } = f.readableBy;
      add(
        `(owner_id = ? OR snapshot->'context'->'team' @> jsonb_build_array(?::text) OR state = ANY(?::text[])
          OR EXISTS (SELECT 1 FROM tasks t WHERE t.case_id = cases.id AND t.status = 'open'
                      AND (t.assignee_id = ?
                           OR (t.kind <> ALL(?::text[]) AND (t.queue = ANY(?::text[]) OR t.escalated_to = ANY(?::text[])))))
          OR EXISTS (SELECT 1 FROM audit_entries a WHERE a.case_id = cases.id AND a.actor_id = ?))`,
        userId,
        userId,
        states,
        userId,
        personalTaskKinds,
        queues,
        queues,
        userId,
      );
    }
    if (f.state) add('(state = ? OR state LIKE ?)', f.state, `${f.state}.%`);
    if (f.fundId) add('fund_id = ?', f.fundId);
    if (f.ownerId) add('owner_id = ?', f.ownerId);
    if (f.before) add('(created_at, id) < (?, ?)', f.before.createdAt, f.before.id);
    params.push(f.limit);
    const rows = await tx.manager.query<CaseRow[]>(
      `SELECT * FROM cases ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY created_at DESC, id DESC LIMIT $${params.length}`,
      params,
    );
    return rows.map(toCaseRecord);
  }

  /** Capital invested and realised losses of a fund's cases, over the fund's whole life. */
  async fundFigures(tx: Tx, fundId: string): Promise<{ investedFen: number; realizedLossFen: number }> {
    const [row] = await tx.manager.query<{ invested: string; loss: string }[]>(
      `SELECT COALESCE(SUM(invested_fen), 0)::text AS invested,
              COALESCE(SUM(GREATEST(invested_fen - proceeds_fen, 0)) FILTER (WHERE proceeds_fen IS NOT NULL), 0)::text AS loss
         FROM cases WHERE fund_id = $1 AND invested_fen IS NOT NULL`,
      [fundId],
    );
    // SUM of bigint is numeric in PostgreSQL, exact; read as BigInt and refused (422) rather than rounded past 2^53.
    return {
      investedFen: exactFen({ en: "The fund's capital invested", zh: '基金累计投资' }, BigInt(row.invested)),
      realizedLossFen: exactFen({ en: "The fund's realised losses", zh: '基金已实现损失' }, BigInt(row.loss)),
    };
  }
}
