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
  return createHash('sha256')
    .update(body.prevHash + canonicalJson(body))
    .digest('hex');
}

export interface ChainCheck {
  valid: boolean;
  /** Entries read before the verdict (all of them for a valid chain). */
  checked: number;
  /** The first entry that does not link or does not hash; absent when only the head disagrees. */
  firstBrokenSeq?: string;
  problem?: string;
}

/**
 * Verifies one chain entry by entry, in seq order, without holding it in memory: each entry must link
 * to the previous hash and hash to its own, and the last must equal the head kept outside the chain
 * (so a removed or added tail is found too). After the first break, further entries are ignored.
 */
export class ChainWalker {
  private prev = GENESIS_HASH;
  private count = 0;
  private broken: ChainCheck | null = null;

  /** Checks the next entry; false once the chain is broken. */
  add(e: AuditEntry): boolean {
    if (this.broken) return false;
    this.count++;
    if (e.prevHash !== this.prev) {
      this.broken = {
        valid: false,
        checked: this.count,
        firstBrokenSeq: e.seq,
        problem: 'prevHash does not link to the previous entry (an entry before it was removed, or this one was moved or edited)',
      };
      return false;
    }
    const { hash, ...body } = e;
    if (hashEntry(body) !== hash) {
      this.broken = {
        valid: false,
        checked: this.count,
        firstBrokenSeq: e.seq,
        problem: 'entry content does not match its hash (the entry was edited)',
      };
      return false;
    }
    this.prev = hash;
    return true;
  }

  get checked(): number {
    return this.count;
  }

  /** The verdict, given the head hash stored outside the chain (null: the chain should be empty). */
  finish(expectedHead: string | null): ChainCheck {
    if (this.broken) return this.broken;
    const head = expectedHead ?? GENESIS_HASH;
    if (head !== this.prev) {
      return {
        valid: false,
        checked: this.count,
        problem: 'the stored head does not match the newest entry (entries were removed from or added to the end)',
      };
    }
    return { valid: true, checked: this.count };
  }
}

/** Verifies a whole chain held in memory (see ChainWalker). */
export function verifyChain(entries: Iterable<AuditEntry>, expectedHead: string | null): ChainCheck {
  const walker = new ChainWalker();
  for (const e of entries) if (!walker.add(e)) break;
  return walker.finish(expectedHead);
}
