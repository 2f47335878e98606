import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json';

/** The hash a chain starts from (64 zeros). */
export const GENESIS_HASH = '0'.repeat(64);
export const SYSTEM_CHAIN = 'system';

/** An audit entry as hashed: every field of the contract except `hash`. */
export interface AuditEntryBody {
  seq: string;
  at: string;
  actorId: string | null;
  actorRoles: string[];
  caseId: string | null;
  type: string;
  fromState: string | null;
  toState: string | null;
  reason: string | null;
  payload: Record<string, unknown>;
  prevHash: string;
}

export interface AuditEntry extends AuditEntryBody {
  hash: string;
}

/** hash = sha256(prevHash + canonical JSON of the entry without hash), hex. */
export function hashEntry(body: AuditEntryBody): string {
  return createHash('sha256').update(body.prevHash + canonicalJson(body)).digest('hex');
}

export interface ChainCheck {
  valid: boolean;
  checked: number;
  firstBrokenSeq?: string;
  problem?: string;
}

/**
 * Walks one chain in seq order: each entry must link to the previous hash and hash to its own, and
 * the last must equal the head kept outside the chain (so a removed tail is found too).
 */
export function verifyChain(entries: Iterable<AuditEntry>, expectedHead: string | null): ChainCheck {
  let prev = GENESIS_HASH;
  let checked = 0;
  for (const e of entries) {
    checked++;
    if (e.prevHash !== prev) return { valid: false, checked, firstBrokenSeq: e.seq, problem: 'prevHash does not link to the previous entry' };
    const { hash, ...body } = e;
    if (hashEntry(body) !== hash) return { valid: false, checked, firstBrokenSeq: e.seq, problem: 'entry content does not match its hash' };
    prev = hash;
  }
  const head = expectedHead ?? GENESIS_HASH;
  if (head !== prev) return { valid: false, checked, problem: 'chain head does not match the newest entry (entries removed or added)' };
  return { valid: true, checked };
}
