import { Injectable } from '@nestjs/common';
import type { Tx } from './transaction';

/** A stored first answer (see IdempotencyKeyEntity). */
export interface StoredAnswer {
  requestHash: string;
  statusCode: number;
  response: unknown;
  createdAt: string;
}

@Injectable()
export class IdempotencyRepository {
  /** The answer stored for this user and key, unless it is older than `notBefore`. */
  async find(tx: Tx, userId: string, key: string, notBefore: Date): Promise<StoredAnswer | null> {
    const rows = await tx.manager.query<{ request_hash: string; status_code: number; response: unknown; created_at: Date }[]>(
      `SELECT request_hash, status_code, response, created_at FROM idempotency_keys WHERE user_id = $1 AND key = $2 AND created_at >= $3`,
      [userId, key, notBefore],
    );
    const r = rows[0];
    return r
      ? { requestHash: r.request_hash, statusCode: r.status_code, response: r.response, createdAt: r.created_at.toISOString() }
      : null;
  }

  /**
   * Stores the first answer, in the caller's transaction. An expired row of the same key is replaced;
   * a live one is kept and false returned (another request with this key got there first).
   */
  async insert(
    tx: Tx,
    row: { userId: string; key: string; requestHash: string; statusCode: number; response: unknown; at: Date; notBefore: Date },
  ): Promise<boolean> {
    const rows = await tx.manager.query<unknown[]>(
      `INSERT INTO idempotency_keys (user_id, key, request_hash, status_code, response, created_at)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (user_id, key) DO UPDATE
         SET request_hash = EXCLUDED.request_hash, status_code = EXCLUDED.status_code, response = EXCLUDED.response, created_at = EXCLUDED.created_at
         WHERE idempotency_keys.created_at < $7
       RETURNING 1`,
      [row.userId, row.key, row.requestHash, row.statusCode, JSON.stringify(row.response), row.at, row.notBefore],
    );
    return rows.length > 0;
  }

  /** Deletes up to `limit` answers older than `before`; returns how many. */
  async deleteExpired(tx: Tx, before: Date, limit: number): Promise<number> {
    const rows = await tx.manager.query<unknown[]>(
      `DELETE FROM idempotency_keys WHERE ctid IN (SELECT ctid FROM idempotency_keys WHERE created_at < $1 LIMIT $2) RETURNING 1`,
      [before, limit],
    );
    return rows.length;
  }
}
