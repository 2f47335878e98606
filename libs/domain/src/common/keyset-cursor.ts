import { DomainErrorCode, DomainException } from '../domain.exception';

const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** An opaque keyset cursor over (timestamp, id): the position after which the next page starts. */
export function encodeKeysetCursor(at: string, id: string): string {
  return Buffer.from(`${at}|${id}`).toString('base64url');
}

/**
 * Reads a cursor made by `encodeKeysetCursor`; anything else (edited, truncated, out of range) is a
 * 400, never a value handed to the database.
 */
export function decodeKeysetCursor(cursor: string): { at: string; id: string } {
  const [at, id, extra] = Buffer.from(cursor, 'base64url').toString().split('|');
  if (extra !== undefined || !at || !id || !ISO_UTC.test(at) || Number.isNaN(Date.parse(at)) || !UUID.test(id)) {
    throw new DomainException(DomainErrorCode.InvalidInput, 'The cursor is not valid; use the nextCursor of a previous page.');
  }
  return { at, id };
}
