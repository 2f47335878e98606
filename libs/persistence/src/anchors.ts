import { Injectable } from '@nestjs/common';
import type { KeyObject } from 'node:crypto';
import { readCheckpointSeries, SYSTEM_CHAIN, type PinnedHead, type StoredCheckpoint } from '@app/audit';
import type { Queryable } from './audit-chain.reader';
import type { Tx } from './transaction';

/** Serialises checkpoint writers across API processes (a transaction-scoped advisory lock). */
const CHECKPOINT_LOCK = 7_270_001;

/** What the anchoring needs from the database: the heads that moved, and what a checkpoint pinned. */
@Injectable()
export class AnchorsRepository {
  /** Waits for any other process writing a checkpoint; held until the transaction ends. */
  async lockWriter(tx: Tx): Promise<void> {
    await tx.manager.query('SELECT pg_advisory_xact_lock($1)', [CHECKPOINT_LOCK]);
  }

  /**
   * The latest entry (seq, hash) of every chain whose head is not the one the last checkpoint pinned:
   * case chains by their row's head, the system chain by its head row. Read in the caller's snapshot.
   * A chain whose pinned entry is no longer there with its pinned hash (rewritten or cut since) is
   * left out: pinning its new head would make the rewrite look anchored; verification keeps naming it.
   */
  async movedHeads(tx: Tx): Promise<PinnedHead[]> {
    const cases = await tx.manager.query<PinnedHead[]>(
      `SELECT c.id::text AS chain, e.seq::text AS seq, e.hash
         FROM cases c
         LEFT JOIN anchored_heads a ON a.chain = c.id::text
         CROSS JOIN LATERAL (SELECT seq, hash FROM audit_entries WHERE case_id = c.id ORDER BY seq DESC LIMIT 1) e
        WHERE c.head_hash IS NOT NULL AND a.hash IS DISTINCT FROM c.head_hash
          AND (a.chain IS NULL OR EXISTS (SELECT 1 FROM audit_entries p WHERE p.seq = a.seq AND p.hash = a.hash AND p.case_id = c.id))`,
    );
    const system = await tx.manager.query<PinnedHead[]>(
      `SELECT $1::text AS chain, e.seq::text AS seq, e.hash
         FROM audit_chain_heads h
         LEFT JOIN anchored_heads a ON a.chain = h.chain
         CROSS JOIN LATERAL (SELECT seq, hash FROM audit_entries WHERE case_id IS NULL ORDER BY seq DESC LIMIT 1) e
        WHERE h.chain = $1 AND a.hash IS DISTINCT FROM h.head_hash
          AND (a.chain IS NULL OR EXISTS (SELECT 1 FROM audit_entries p WHERE p.seq = a.seq AND p.hash = a.hash AND p.case_id IS NULL))`,
      [SYSTEM_CHAIN],
    );
    return [...cases, ...system];
  }

  /** Records that checkpoint `number` pinned these heads. */
  async markPinned(tx: Tx, heads: readonly PinnedHead[], number: number): Promise<void> {
    if (heads.length === 0) return;
    await tx.manager.query(
      `INSERT INTO anchored_heads (chain, seq, hash, checkpoint)
       SELECT chain, seq::bigint, hash, $4 FROM unnest($1::text[], $2::text[], $3::text[]) AS h(chain, seq, hash)
       ON CONFLICT (chain) DO UPDATE SET seq = EXCLUDED.seq, hash = EXCLUDED.hash, checkpoint = EXCLUDED.checkpoint`,
      [heads.map((h) => h.chain), heads.map((h) => h.seq), heads.map((h) => h.hash), number],
    );
  }
}

/**
 * Compares each chain's latest pin with the database: the entry at the pinned seq must exist, belong
 * to that chain and carry the pinned hash. The chains link every entry to the one before, so a pinned
 * head that still matches vouches for the whole chain up to it; a rewrite before it, re-hashed or not,
 * or a removed tail, changes or removes the pinned entry. One sentence per chain that differs.
 */
export async function checkPins(q: Queryable, pins: Iterable<PinnedHead & { checkpoint: number }>, batch = 5000): Promise<string[]> {
  const problems: string[] = [];
  const all = [...pins];
  for (let i = 0; i < all.length; i += batch) {
    const part = all.slice(i, i + batch);
    const rows = (await q(`SELECT seq::text AS seq, case_id::text AS case_id, hash FROM audit_entries WHERE seq = ANY($1::bigint[])`, [
      part.map((p) => p.seq),
    ])) as { seq: string; case_id: string | null; hash: string }[];
    const bySeq = new Map(rows.map((r) => [r.seq, r]));
    for (const pin of part) {
      const row = bySeq.get(pin.seq);
      const what = pin.chain === SYSTEM_CHAIN ? 'The system chain' : `Case ${pin.chain}`;
      if (!row || (row.case_id ?? SYSTEM_CHAIN) !== pin.chain)
        problems.push(
          `${what}: entry ${pin.seq}, pinned by checkpoint ${pin.checkpoint}, is no longer in its chain (entries were removed).`,
        );
      else if (row.hash !== pin.hash)
        problems.push(
          `${what}: entry ${pin.seq} no longer has the hash checkpoint ${pin.checkpoint} pinned: the chain was rewritten up to or before it.`,
        );
    }
  }
  return problems;
}

/** The checkpoint part of an audit verification. */
export interface CheckpointVerification {
  /** Whether checkpoints are configured at all (CHECKPOINT_DIR, CHECKPOINT_KEY_FILE). */
  configured: boolean;
  /** Checkpoints read and accepted (signature, number, link and root hold). */
  checkpoints: number;
  latest: { number: number; at: string } | null;
  /** Chains whose latest pin was compared with the database. */
  pinnedChains: number;
  valid: boolean;
  /** One sentence per fault, the series' own first; at most `maxReported`. */
  problems: string[];
}

/**
 * Checks a series of checkpoints against the public key, then each chain's latest pin (one case's
 * only, when given) against the database. Used by the API's verification and by `npm run audit:verify`.
 */
export async function verifyAgainstCheckpoints(
  q: Queryable,
  files: readonly StoredCheckpoint[],
  publicKey: KeyObject,
  opts: { caseId?: string; maxReported?: number } = {},
): Promise<CheckpointVerification> {
  const series = readCheckpointSeries(files, publicKey);
  // Every pin of every checkpoint, not only each chain's latest: a later checkpoint must not vouch for a rewrite.
  const pins = series.checkpoints.flatMap((c) =>
    c.heads.filter((h) => !opts.caseId || h.chain === opts.caseId).map((h) => ({ ...h, checkpoint: c.number })),
  );
  const problems = [...series.problems, ...(await checkPins(q, pins))];
  const last = series.checkpoints[series.checkpoints.length - 1];
  // The numbers pinned in the database say how far the series went: newer files missing from the
  // folder (or the folder emptied) would otherwise leave a shorter series that verifies.
  const recorded = (await q('SELECT max(checkpoint) AS n FROM anchored_heads', [])) as { n: number | null }[];
  const written = recorded[0]?.n ?? 0;
  const lastFile = files.length;
  if (written > lastFile)
    problems.push(
      `The database records checkpoint ${written} as written, but the folder holds ${lastFile === 0 ? 'none' : `only up to ${lastFile}`}: checkpoints were removed from the folder (or it is not the folder they were written to).`,
    );
  return {
    configured: true,
    checkpoints: series.checkpoints.length,
    latest: last ? { number: last.number, at: last.at } : null,
    pinnedChains: new Set(pins.map((p) => p.chain)).size,
    valid: problems.length === 0,
    problems: problems.slice(0, opts.maxReported ?? 100),
  };
}
