import { createHash, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { canonicalJson } from './canonical-json';

/**
 * Anchored checkpoints. The hash chains prove that the history is consistent with itself; someone who
 * can write to the database (its owner, a superuser) can still rewrite an entry and re-hash everything
 * after it. A checkpoint pins, outside the database, the head (seq and hash) of every chain that moved
 * since the previous checkpoint, combined into one root and signed with an Ed25519 key the database
 * never sees. Checkpoints are numbered and each names the hash of the one before, so one cannot be
 * dropped or replaced without the gap showing. Pure: signing and checking here, storage elsewhere.
 */
export const CHECKPOINT_FORMAT = 'pcw-checkpoint/1';

/** One chain's head as pinned: `chain` is a case id or `system`. */
export interface PinnedHead {
  chain: string;
  seq: string;
  hash: string;
}

export interface CheckpointBody {
  format: typeof CHECKPOINT_FORMAT;
  /** 1, 2, 3, … with no gaps. */
  number: number;
  at: string;
  /** Why it was written: `scheduled`, `document` (a document was issued), `manual`. */
  reason: string;
  /** SHA-256 of the previous checkpoint file's exact bytes; null for the first. */
  previous: string | null;
  /** The signing key's id: SHA-256 of its public key (SPKI DER), hex. */
  keyId: string;
  /** SHA-256 over the sorted heads, one line `chain:seq:hash` each. */
  root: string;
  heads: PinnedHead[];
}

/** What is stored: the body and its Ed25519 signature over the canonical JSON of the body (base64). */
export interface SignedCheckpoint {
  checkpoint: CheckpointBody;
  signature: string;
}

const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

export function keyIdOf(publicKey: KeyObject): string {
  return sha256(publicKey.export({ type: 'spki', format: 'der' }));
}

export function rootOf(heads: readonly PinnedHead[]): string {
  return sha256(heads.map((h) => `${h.chain}:${h.seq}:${h.hash}`).join('\n'));
}

const byChain = (a: PinnedHead, b: PinnedHead) => (a.chain < b.chain ? -1 : a.chain > b.chain ? 1 : 0);

/** Builds and signs checkpoint `number`; returns the file's text (what `previous` of the next one hashes). */
export function signCheckpoint(
  privateKey: KeyObject,
  input: { number: number; at: string; reason: string; previousText: string | null; heads: PinnedHead[] },
): string {
  const heads = [...input.heads].sort(byChain);
  const body: CheckpointBody = {
    format: CHECKPOINT_FORMAT,
    number: input.number,
    at: input.at,
    reason: input.reason,
    previous: input.previousText === null ? null : sha256(input.previousText),
    keyId: keyIdOf(createPublicKey(privateKey)),
    root: rootOf(heads),
    heads,
  };
  const signature = sign(null, Buffer.from(canonicalJson(body)), privateKey).toString('base64');
  return `${JSON.stringify({ checkpoint: body, signature } satisfies SignedCheckpoint, null, 1)}\n`;
}

/** One stored checkpoint file, as read back. */
export interface StoredCheckpoint {
  name: string;
  text: string;
  /** What the store found wrong with this object (an S3 key written again after its locked original). */
  problem?: string;
}

export interface CheckpointSeries {
  /** Every checkpoint whose signature, number, link and root hold, in order. */
  checkpoints: CheckpointBody[];
  /** What is wrong with the series itself (a bad signature, a gap, a broken link), one sentence each. */
  problems: string[];
  /** The latest pin of each chain over the whole series. */
  latestPins: Map<string, PinnedHead & { checkpoint: number }>;
}

/**
 * Checks a series of stored checkpoints (in number order) against the public key: each parses, is
 * signed by that key, numbers follow 1, 2, 3 …, each names the hash of the previous file, and its root
 * is the root of its heads. A checkpoint that fails is reported and not used for the pins.
 */
export function readCheckpointSeries(files: readonly StoredCheckpoint[], publicKey: KeyObject): CheckpointSeries {
  const keyId = keyIdOf(publicKey);
  const problems: string[] = [];
  const checkpoints: CheckpointBody[] = [];
  const latestPins = new Map<string, PinnedHead & { checkpoint: number }>();
  let previousText: string | null = null;
  let expected = 1;
  for (const f of files) {
    const fault = (why: string) => problems.push(`Checkpoint file ${f.name}: ${why}`);
    if (f.problem) fault(f.problem);
    let parsed: SignedCheckpoint;
    try {
      parsed = JSON.parse(f.text) as SignedCheckpoint;
    } catch {
      fault('is not valid JSON.');
      previousText = f.text;
      expected++;
      continue;
    }
    const body = parsed?.checkpoint;
    if (!body || body.format !== CHECKPOINT_FORMAT || typeof parsed.signature !== 'string' || !Array.isArray(body.heads)) {
      fault(`is not a ${CHECKPOINT_FORMAT} checkpoint.`);
    } else if (body.keyId !== keyId) {
      fault(`is signed by key ${String(body.keyId).slice(0, 16)}…, not the configured key ${keyId.slice(0, 16)}….`);
    } else if (!verify(null, Buffer.from(canonicalJson(body)), publicKey, Buffer.from(parsed.signature, 'base64'))) {
      fault('has a signature that does not match its content: it was changed after signing.');
    } else if (body.number !== expected) {
      fault(`is number ${body.number} where number ${expected} was expected: a checkpoint is missing or out of place.`);
    } else if (body.previous !== (previousText === null ? null : sha256(previousText))) {
      fault(`does not name the previous checkpoint's hash: the file before it was replaced.`);
    } else if (body.root !== rootOf(body.heads)) {
      fault('has a root that is not the root of its heads.');
    } else {
      checkpoints.push(body);
      for (const h of body.heads) latestPins.set(h.chain, { ...h, checkpoint: body.number });
    }
    previousText = f.text;
    expected = (typeof body?.number === 'number' ? body.number : expected) + 1;
  }
  return { checkpoints, problems, latestPins };
}
