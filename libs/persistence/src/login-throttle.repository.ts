import { Injectable } from '@nestjs/common';
import type { Tx } from './transaction';

export interface ThrottleRow {
  key: string;
  failures: number;
  lastFailureAt: number | null;
  lockedUntil: number | null;
  pending: number;
  pendingSince: number | null;
}

interface Row {
  key: string;
  failures: number;
  last_failure_at: Date | null;
  locked_until: Date | null;
  pending: number;
  pending_since: Date | null;
}

const ms = (d: Date | null) => (d ? d.getTime() : null);
const date = (n: number | null) => (n === null ? null : new Date(n));

@Injectable()
export class LoginThrottleRepository {
  /** The rows of these keys (created when missing), locked in key order until the transaction ends. */
  async lock(tx: Tx, keys: string[]): Promise<ThrottleRow[]> {
    const sorted = [...new Set(keys)].sort();
    await tx.manager.query(`INSERT INTO login_throttle (key) SELECT unnest($1::varchar[]) ORDER BY 1 ON CONFLICT (key) DO NOTHING`, [
      sorted,
    ]);
    const rows = await tx.manager.query<Row[]>(
      `SELECT key, failures, last_failure_at, locked_until, pending, pending_since FROM login_throttle WHERE key = ANY($1) ORDER BY key FOR UPDATE`,
      [sorted],
    );
    return rows.map((r) => ({
      key: r.key,
      failures: r.failures,
      lastFailureAt: ms(r.last_failure_at),
      lockedUntil: ms(r.locked_until),
      pending: r.pending,
      pendingSince: ms(r.pending_since),
    }));
  }

  async save(tx: Tx, row: ThrottleRow): Promise<void> {
    await tx.manager.query(
      `UPDATE login_throttle SET failures = $2, last_failure_at = $3, locked_until = $4, pending = $5, pending_since = $6 WHERE key = $1`,
      [row.key, row.failures, date(row.lastFailureAt), date(row.lockedUntil), row.pending, date(row.pendingSince)],
    );
  }
}
