import { Injectable } from '@nestjs/common';
import type { AuditEntry, AuditEntryBody } from '@app/audit';
import { hashEntry, SYSTEM_CHAIN } from '@app/audit';
import type { Tx } from './transaction';

export type NewAuditEntry = Omit<AuditEntryBody, 'seq' | 'prevHash'>;

interface AuditRow {
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

export const AUDIT_COLUMNS = 'seq::text AS seq, at, actor_id, actor_roles, case_id, type, from_state, to_state, reason, payload, prev_hash, hash';

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

export interface AuditFilter {
  caseId?: string;
  actorId?: string;
  type?: string;
  from?: Date;
  to?: Date;
  /** Keyset cursor: entries after this (at, seq). */
  after?: { at: Date; seq: string };
  limit: number;
}

@Injectable()
export class AuditRepository {
  /** Builds the next entry of a chain whose head is `prevHash`, taking its seq from the sequence. */
  async prepare(tx: Tx, entry: NewAuditEntry, prevHash: string, seq?: string): Promise<AuditEntry> {
    const nextSeq = seq ?? ((await tx.manager.query(`SELECT nextval('audit_entries_seq')::text AS seq`)) as { seq: string }[])[0].seq;
    const body: AuditEntryBody = { ...entry, seq: nextSeq, prevHash };
    return { ...body, hash: hashEntry(body) };
  }

  async insert(tx: Tx, e: AuditEntry): Promise<void> {
    await tx.manager.query(
      `INSERT INTO audit_entries (seq, at, actor_id, actor_roles, case_id, type, from_state, to_state, reason, payload, prev_hash, hash)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
      [e.seq, e.at, e.actorId, e.actorRoles, e.caseId, e.type, e.fromState, e.toState, e.reason, e.payload, e.prevHash, e.hash],
    );
  }

  /**
   * Appends to the system chain (entries with no case). The chain head row is locked for the rest
   * of the transaction, so concurrent appends are serialised and the chain stays linear.
   */
  async appendSystem(tx: Tx, entry: Omit<NewAuditEntry, 'caseId'>): Promise<AuditEntry> {
    const [head] = (await tx.manager.query(
      `SELECT head_hash, nextval('audit_entries_seq')::text AS seq FROM audit_chain_heads WHERE chain = $1 FOR UPDATE`,
      [SYSTEM_CHAIN],
    )) as { head_hash: string; seq: string }[];
    const full = await this.prepare(tx, { ...entry, caseId: null }, head.head_hash, head.seq);
    await this.insert(tx, full);
    await tx.manager.query(`UPDATE audit_chain_heads SET head_hash = $2 WHERE chain = $1`, [SYSTEM_CHAIN, full.hash]);
    return full;
  }

  async listByCase(tx: Tx, caseId: string, until?: Date): Promise<AuditEntry[]> {
    const rows = (await tx.manager.query(
      `SELECT ${AUDIT_COLUMNS} FROM audit_entries WHERE case_id = $1 ${until ? 'AND at <= $2' : ''} ORDER BY audit_entries.seq`,
      until ? [caseId, until] : [caseId],
    )) as AuditRow[];
    return rows.map(toAuditEntry);
  }

  async query(tx: Tx, f: AuditFilter): Promise<AuditEntry[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (sql: string, v: unknown) => {
      params.push(v);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (f.caseId) add('case_id = ?', f.caseId);
    if (f.actorId) add('actor_id = ?', f.actorId);
    if (f.type) add('type = ?', f.type);
    if (f.from) add('at >= ?', f.from);
    if (f.to) add('at < ?', f.to);
    if (f.after) {
      params.push(f.after.at, f.after.seq);
      where.push(`(at, seq) > ($${params.length - 1}, $${params.length})`);
    }
    params.push(f.limit);
    const rows = (await tx.manager.query(
      `SELECT ${AUDIT_COLUMNS} FROM audit_entries ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY audit_entries.at, audit_entries.seq LIMIT $${params.length}`,
      params,
    )) as AuditRow[];
    return rows.map(toAuditEntry);
  }
}
