import { Injectable } from '@nestjs/common';
import type { AuditEntry } from '@app/audit';
import { AUDIT_COLUMNS, toAuditEntry, type AuditRow, type Queryable } from './audit-chain.reader';
import type { Tx } from './transaction';

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
  /** Whether the person has an entry on the case's chain (acted on it: an event, a vote, a claim, an upload). */
  async hasActed(tx: Tx, caseId: string, actorId: string): Promise<boolean> {
    const rows = await tx.manager.query<unknown[]>(`SELECT 1 FROM audit_entries WHERE case_id = $1 AND actor_id = $2 LIMIT 1`, [
      caseId,
      actorId,
    ]);
    return rows.length > 0;
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
