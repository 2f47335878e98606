import { DatabaseError } from 'pg';
import { QueryFailedError, QueryRunnerAlreadyReleasedError, QueryRunnerProviderAlreadyReleasedError } from 'typeorm';

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
  /** 55P03: a lock was not granted within lock_timeout (DB_LOCK_TIMEOUT_MS). */
  | 'lock_timeout'
  /** 57014: the statement ran past statement_timeout (DB_STATEMENT_TIMEOUT_MS) or was cancelled. */
  | 'statement_timeout'
  /** No pooled connection became free within the acquire timeout (DB_POOL_ACQUIRE_TIMEOUT_MS). */
  | 'pool_exhausted'
  /**
   * The server is unreachable, restarting, refusing or out of connections, the database is gone, or the
   * connection died under the request (class 08, 57P01-57P05, 53300, a FATAL error, a socket error).
   */
  | 'unavailable';

const SQLSTATE: Readonly<Record<string, DatabaseFailure>> = {
  '54000': 'invalid_value',
  '23505': 'duplicate',
  '23503': 'missing_reference',
  '40001': 'concurrent_change',
  '40P01': 'concurrent_change',
  PCA01: 'append_only',
  '55P03': 'lock_timeout',
  '57014': 'statement_timeout',
  '3D000': 'unavailable',
};
/** SQLSTATE classes: 22 data exception; 08 connection exception, 53 insufficient resources (53300 too many connections). */
const SQLSTATE_CLASS: Readonly<Record<string, DatabaseFailure>> = { '22': 'invalid_value', '08': 'unavailable', '53': 'unavailable' };
const SOCKET_CODES: ReadonlySet<string> = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE']);
/**
 * pg and pg-pool report a lost connection and a failed connect with these errors and no code at all;
 * they are recognised here, in the driver's adapter, and nowhere else.
 */
const CONNECTION_LOST: ReadonlySet<string> = new Set([
  'Connection terminated unexpectedly',
  'Connection terminated',
  'Connection terminated due to connection timeout',
  'Client has encountered a connection error and is not queryable',
  'Client was closed and is not queryable',
]);
/** pg-pool's error for a request that waited longer than connectionTimeoutMillis for a pooled connection. */
const POOL_TIMEOUT = 'timeout exceeded when trying to connect';

function codeOf(err: unknown): string | undefined {
  if (err instanceof DatabaseError) return err.code;
  const own = (err as { code?: unknown } | null)?.code;
  if (typeof own === 'string') return own;
  const driver = err instanceof QueryFailedError ? (err.driverError as { code?: unknown } | undefined)?.code : undefined;
  return typeof driver === 'string' ? driver : undefined;
}

/** Classifies an error thrown by a query, whether TypeORM wrapped it or it came straight from `pg`. */
export function classifyDatabaseError(err: unknown): DatabaseFailure | null {
  // TypeORM releases a transaction's runner when its connection dies; the next statement of the work meets one of these.
  if (err instanceof QueryRunnerAlreadyReleasedError || err instanceof QueryRunnerProviderAlreadyReleasedError) return 'unavailable';
  const driver = err instanceof QueryFailedError ? (err.driverError as unknown) : err;
  const code = codeOf(err);
  if (code !== undefined) {
    if (SOCKET_CODES.has(code)) return 'unavailable';
    const failure = SQLSTATE[code] ?? (code.length === 5 ? SQLSTATE_CLASS[code.slice(0, 2)] : undefined);
    if (failure) return failure;
    if (code.startsWith('57P')) return 'unavailable';
    // A FATAL error ends the session: e.g. 55000 "database is not currently accepting connections".
    if (driver instanceof DatabaseError && (driver.severity === 'FATAL' || driver.severity === 'PANIC')) return 'unavailable';
  }
  if (err instanceof Error) {
    const messages = [err.message, driver instanceof Error ? driver.message : undefined];
    if (messages.includes(POOL_TIMEOUT)) return 'pool_exhausted';
    if (messages.some((m) => m !== undefined && CONNECTION_LOST.has(m))) return 'unavailable';
  }
  return null;
}
