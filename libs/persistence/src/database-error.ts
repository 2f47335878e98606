import { DatabaseError } from 'pg';
import { QueryFailedError } from 'typeorm';

/**
 * What a failed database call means for the request that made it. Errors a client's input can cause
 * map to a 4xx, an unreachable or restarting server to a 503; everything else is ours (null).
 */
export type DatabaseFailure =
  /** Class 22 (data exception) or 54000: a value the request carried that the column cannot hold. */
  | 'invalid_value'
  /** 23505: a unique value that exists already. */
  | 'duplicate'
  /** 23503: a reference to a row that does not exist. */
  | 'missing_reference'
  /** 40001, 40P01: a serialisation failure or deadlock with a concurrent transaction. */
  | 'concurrent_change'
  /** PCA01: the append-only triggers of the history refused a change. */
  | 'append_only'
  /** The server is unreachable, restarting, out of connections, or the database is gone. */
  | 'unavailable';

const SQLSTATE: Readonly<Record<string, DatabaseFailure>> = {
  '54000': 'invalid_value',
  '23505': 'duplicate',
  '23503': 'missing_reference',
  '40001': 'concurrent_change',
  '40P01': 'concurrent_change',
  PCA01: 'append_only',
  '57014': 'unavailable',
  '3D000': 'unavailable',
};
/** SQLSTATE classes: 22 data exception; 08 connection exception, 53 insufficient resources, 57P operator intervention. */
const SQLSTATE_CLASS: Readonly<Record<string, DatabaseFailure>> = { '22': 'invalid_value', '08': 'unavailable', '53': 'unavailable' };
const SOCKET_CODES: ReadonlySet<string> = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE']);
/**
 * pg and pg-pool report a lost connection and a pool timeout with these errors and no code at all;
 * they are recognised here, in the driver's adapter, and nowhere else.
 */
const CONNECTION_LOST: ReadonlySet<string> = new Set([
  'Connection terminated unexpectedly',
  'Connection terminated',
  'timeout exceeded when trying to connect',
]);

function codeOf(err: unknown): string | undefined {
  if (err instanceof DatabaseError) return err.code;
  const own = (err as { code?: unknown } | null)?.code;
  if (typeof own === 'string') return own;
  const driver = err instanceof QueryFailedError ? (err.driverError as { code?: unknown } | undefined)?.code : undefined;
  return typeof driver === 'string' ? driver : undefined;
}

/** Classifies an error thrown by a query, whether TypeORM wrapped it or it came straight from `pg`. */
export function classifyDatabaseError(err: unknown): DatabaseFailure | null {
  const code = codeOf(err);
  if (code !== undefined) {
    if (SOCKET_CODES.has(code)) return 'unavailable';
    if (code.startsWith('57P')) return 'unavailable';
    const failure = SQLSTATE[code] ?? (code.length === 5 ? SQLSTATE_CLASS[code.slice(0, 2)] : undefined);
    if (failure) return failure;
  }
  if (err instanceof Error) {
    const driver = err instanceof QueryFailedError ? (err.driverError as Error | undefined) : undefined;
    if (CONNECTION_LOST.has(err.message) || (driver && CONNECTION_LOST.has(driver.message))) return 'unavailable';
  }
  return null;
}
