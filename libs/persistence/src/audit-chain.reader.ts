import type { AuditEntry, CaseHead } from '@app/audit';
import { SYSTEM_CHAIN } from '@app/audit';

/**
 * Reads the audit chains in keyset batches, so that verifying or exporting ten million entries holds
 * one batch in memory at a time. Free of Nest and TypeORM: the standalone verifier (scripts/
 * audit-verify.ts) runs it over a plain `pg` client, the API over its transaction.
 */
export type Queryable = (sql: string, params: unknown[]) => Promise<unknown[]>;

export interface AuditRow {
  seq: string;
  at: Date;
  actor_id: string | null;
  actor_roles: string[];
  case_id: string | null;
  type: string;
  from_state: string | null;
  to_state: string | null;
  reason: string | null;
  payload: Record<string, unknown>;
  prev_hash: string;
  hash: string;
}

/** The columns of an entry; seq as text (it is a bigint). Order by `audit_entries.seq`, never by the alias. */
export const AUDIT_COLUMNS =
  'audit_entries.seq::text AS seq, at, actor_id, actor_roles, case_id::text AS case_id, type, from_state, to_state, reason, payload, prev_hash, hash';

export function toAuditEntry(r: AuditRow): AuditEntry {
  return {
    seq: r.seq,
    at: r.at.toISOString(),
    actorId: r.actor_id,
    actorRoles: r.actor_roles,
    caseId: r.case_id,
    type: r.type,
    fromState: r.from_state,
    toState: r.to_state,
    reason: r.reason,
    payload: r.payload,
    prevHash: r.prev_hash,
    hash: r.hash,
  };
}

export const DEFAULT_BATCH = 5000;

/** Every case (or one) with its head hash, ordered by id. */
export async function* readCaseHeads(q: Queryable, opts: { caseId?: string; batch?: number } = {}): AsyncGenerator<CaseHead> {
  const batch = opts.batch ?? DEFAULT_BATCH;
  if (opts.caseId) {
    const rows = (await q(`SELECT id::text AS id, head_hash FROM cases WHERE id = $1`, [opts.caseId])) as {
      id: string;
      head_hash: string | null;
    }[];
    for (const r of rows) yield { caseId: r.id, headHash: r.head_hash };
    return;
  }
  let after: string | null = null;
  for (;;) {
    const rows = (await (after === null
      ? q(`SELECT id::text AS id, head_hash FROM cases ORDER BY id LIMIT $1`, [batch])
      : q(`SELECT id::text AS id, head_hash FROM cases WHERE id > $1 ORDER BY id LIMIT $2`, [after, batch]))) as {
      id: string;
      head_hash: string | null;
    }[];
    for (const r of rows) yield { caseId: r.id, headHash: r.head_hash };
    if (rows.length < batch) return;
    after = rows[rows.length - 1].id;
  }
}

/** Every entry of the case chains (or of one case), ordered by (case id, seq): the index ix_audit_case_seq. */
export async function* readCaseEntries(q: Queryable, opts: { caseId?: string; batch?: number } = {}): AsyncGenerator<AuditEntry> {
  const batch = opts.batch ?? DEFAULT_BATCH;
  if (opts.caseId) {
    yield* readChainBySeq(q, 'case_id = $1', [opts.caseId], batch);
    return;
  }
  let after: { caseId: string; seq: string } | null = null;
  for (;;) {
    const rows = (await (after === null
      ? q(
          `SELECT ${AUDIT_COLUMNS} FROM audit_entries WHERE case_id IS NOT NULL ORDER BY audit_entries.case_id, audit_entries.seq LIMIT $1`,
          [batch],
        )
      : q(
          `SELECT ${AUDIT_COLUMNS} FROM audit_entries WHERE (audit_entries.case_id, audit_entries.seq) > ($1::uuid, $2::bigint)
            ORDER BY audit_entries.case_id, audit_entries.seq LIMIT $3`,
          [after.caseId, after.seq, batch],
        ))) as AuditRow[];
    for (const r of rows) yield toAuditEntry(r);
    if (rows.length < batch) return;
    const last = rows[rows.length - 1];
    after = { caseId: last.case_id!, seq: last.seq };
  }
}

/** The entries of the system chain (no case), in seq order. */
export function readSystemEntries(q: Queryable, opts: { batch?: number } = {}): AsyncGenerator<AuditEntry> {
  return readChainBySeq(q, 'case_id IS NULL', [], opts.batch ?? DEFAULT_BATCH);
}

export async function readSystemHead(q: Queryable): Promise<string | null> {
  const rows = (await q(`SELECT head_hash FROM audit_chain_heads WHERE chain = $1`, [SYSTEM_CHAIN])) as { head_hash: string }[];
  return rows[0]?.head_hash ?? null;
}

/** Entries matching `where` (a condition on one chain, or none), in seq order, keyset on seq. */
export async function* readChainBySeq(q: Queryable, where: string, params: unknown[], batch = DEFAULT_BATCH): AsyncGenerator<AuditEntry> {
  let after = '-1';
  const n = params.length;
  for (;;) {
    const rows = (await q(
      `SELECT ${AUDIT_COLUMNS} FROM audit_entries WHERE ${where ? `${where} AND ` : ''}audit_entries.seq > $${n + 1}::bigint
        ORDER BY audit_entries.seq LIMIT $${n + 2}`,
      [...params, after, batch],
    )) as AuditRow[];
    for (const r of rows) yield toAuditEntry(r);
    if (rows.length < batch) return;
    after = rows[rows.length - 1].seq;
  }
}
