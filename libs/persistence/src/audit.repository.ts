import { Injectable } from '@nestjs/common';
import type { AuditEntry, AuditEntryBody } from '@app/audit';
import { hashEntry, SYSTEM_CHAIN } from '@app/audit';
import { AUDIT_COLUMNS, toAuditEntry, type AuditRow, type Queryable } from './audit-chain.reader';
import type { Tx } from './transaction';

export type NewAuditEntry = Omit<AuditEntryBody, 'seq' | 'prevHash'>;

export interface AuditFilter {
  caseId?: string;
  actorId?: string;
  type?: string;
  from?: Date;
  to?: Date;
  /** Keyset cursor: entries after the entry with this seq, in (at, seq) order. */
  afterSeq?: string;
  limit: number;
}

@Injectable()
export class AuditRepository {
  /** Builds the next entry of a chain whose head is `prevHash`, taking its seq from the sequence. */
  async prepare(tx: Tx, entry: NewAuditEntry, prevHash: string, seq?: string): Promise<AuditEntry> {
    const nextSeq = seq ?? (await tx.manager.query<{ seq: string }[]>(`SELECT nextval('audit_entries_seq')::text AS seq`))[0].seq;
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
    const [head] = await tx.manager.query<{ head_hash: string; seq: string }[]>(
      `SELECT head_hash, nextval('audit_entries_seq')::text AS seq FROM audit_chain_heads WHERE chain = $1 FOR UPDATE`,
      [SYSTEM_CHAIN],
    );
    const full = await this.prepare(tx, { ...entry, caseId: null }, head.head_hash, head.seq);
    await this.insert(tx, full);
    await tx.manager.query(`UPDATE audit_chain_heads SET head_hash = $2 WHERE chain = $1`, [SYSTEM_CHAIN, full.hash]);
    return full;
  }

  async listByCase(tx: Tx, caseId: string, until?: Date): Promise<AuditEntry[]> {
    const rows = await tx.manager.query<AuditRow[]>(
      `SELECT ${AUDIT_COLUMNS} FROM audit_entries WHERE case_id = $1 ${until ? 'AND at <= $2' : ''} ORDER BY audit_entries.seq`,
      until ? [caseId, until] : [caseId],
    );
    return rows.map(toAuditEntry);
  }

  /**
   * Entries matching the filter, oldest first by (at, seq), one page after the cursor. Each filter has
   * an index that serves both the condition and the order: (case_id, seq), (actor_id, at, seq),
   * (type, at, seq) and (at, seq).
   */
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
    // The cursor's timestamp is read from the row itself, at full (microsecond) precision.
    if (f.afterSeq) add('(at, audit_entries.seq) > (SELECT c.at, c.seq FROM audit_entries c WHERE c.seq = ?::bigint)', f.afterSeq);
    params.push(f.limit);
    const rows = await tx.manager.query<AuditRow[]>(
      `SELECT ${AUDIT_COLUMNS} FROM audit_entries ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY audit_entries.at, audit_entries.seq LIMIT $${params.length}`,
      params,
    );
    return rows.map(toAuditEntry);
  }

  async exists(tx: Tx, seq: string): Promise<boolean> {
    const rows = await tx.manager.query<unknown[]>(`SELECT 1 FROM audit_entries WHERE seq = $1::bigint`, [seq]);
    return rows.length > 0;
  }

  /** The transaction as a plain query function, for the chain readers of audit-chain.reader.ts. */
  queryable(tx: Tx): Queryable {
    return (sql, params) => tx.manager.query<unknown[]>(sql, params);
  }
}
