import type { AuditEntry, CaseHead } from '@app/audit';
import { SYSTEM_CHAIN } from '@app/audit';
import type { StoredCase } from '@app/case-workflow';

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

/** A case's head with the row's fields its chain decides, for the replay check. */
export interface CaseRowHead extends CaseHead {
  stored: StoredCase;
}

interface StoredCaseRow {
  id: string;
  head_hash: string | null;
  state: string;
  version: number;
  machine_version: number;
  snapshot: unknown;
  owner_id: string;
  fund_id: string;
  company_name: string;
  sector: string;
  requested_amount_fen: string;
  summary: string;
  invested_fen: string | null;
  proceeds_fen: string | null;
}

const CASE_ROW_COLUMNS = `id::text AS id, head_hash, state, version, machine_version, snapshot, owner_id::text AS owner_id,
  fund_id::text AS fund_id, company_name, sector, requested_amount_fen::text AS requested_amount_fen, summary,
  invested_fen::text AS invested_fen, proceeds_fen::text AS proceeds_fen`;

const toCaseRowHead = (r: StoredCaseRow): CaseRowHead => ({
  caseId: r.id,
  headHash: r.head_hash,
  stored: {
    state: r.state,
    version: r.version,
    machineVersion: r.machine_version,
    snapshot: r.snapshot,
    ownerId: r.owner_id,
    fundId: r.fund_id,
    companyName: r.company_name,
    sector: r.sector,
    requestedAmountFen: Number(r.requested_amount_fen),
    summary: r.summary,
    investedFen: r.invested_fen === null ? null : Number(r.invested_fen),
    proceedsFen: r.proceeds_fen === null ? null : Number(r.proceeds_fen),
  },
});

/** Cases read with their snapshots: a smaller batch than entries (a snapshot is a few kilobytes). */
export const CASE_ROW_BATCH = 500;

/**
 * Every case (or one) with its head hash and the fields its chain decides (state, version, snapshot,
 * proposal, amounts), ordered by id: the heads the replay check compares with the chains.
 */
export async function* readCaseRows(q: Queryable, opts: { caseId?: string; batch?: number } = {}): AsyncGenerator<CaseRowHead> {
  const batch = opts.batch ?? CASE_ROW_BATCH;
  if (opts.caseId) {
    const rows = (await q(`SELECT ${CASE_ROW_COLUMNS} FROM cases WHERE id = $1`, [opts.caseId])) as StoredCaseRow[];
    yield* rows.map(toCaseRowHead);
    return;
  }
  let after: string | null = null;
  for (;;) {
    const rows = (await (after === null
      ? q(`SELECT ${CASE_ROW_COLUMNS} FROM cases ORDER BY id LIMIT $1`, [batch])
      : q(`SELECT ${CASE_ROW_COLUMNS} FROM cases WHERE id > $1 ORDER BY id LIMIT $2`, [after, batch]))) as StoredCaseRow[];
    yield* rows.map(toCaseRowHead);
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
