import { createPublicKey, type KeyObject } from 'node:crypto';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { StoredCheckpoint } from './checkpoint';

export const CHECKPOINT_FILE_NAME = /^checkpoint-(\d{8})\.json$/;
export const CHECKPOINT_PUBLIC_KEY = 'public-key.pem';
export const checkpointFileName = (n: number) => `checkpoint-${String(n).padStart(8, '0')}.json`;
const NAME = CHECKPOINT_FILE_NAME;
const PUBLIC_KEY = CHECKPOINT_PUBLIC_KEY;

/** Files or objects read at once: a long series must not open them all together. */
export const READS_AT_ONCE = 16;

/** `fn` over `items` with at most `limit` running at a time; results in the items' order. */
export async function mapLimited<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/** Where the signed checkpoints are kept: written once each, never replaced. */
export interface CheckpointStore {
  /** The folder or bucket, for messages. */
  readonly location: string;
  /** Every checkpoint in number order, or only the last `last` of them (the others are not read). */
  list(opts?: { last?: number }): Promise<StoredCheckpoint[]>;
  /** The number the next checkpoint takes and the text of the latest (null before the first). */
  head(): Promise<{ next: number; latestText: string | null }>;
  /** Writes checkpoint `number`; refuses (an error with code EEXIST) if it exists already. */
  write(number: number, text: string): Promise<string>;
  /** The public key kept with the checkpoints, or null when none is kept yet. */
  publicKey(): Promise<KeyObject | null>;
  /** Writes the signer's public key (PEM) with the checkpoints; refuses (EEXIST) if one is kept already. */
  keepPublicKey(pem: string): Promise<void>;
  /** Null when the store keeps what is written; else a sentence for the operator (checked at start-up). */
  check(): Promise<string | null>;
}

/**
 * Checkpoints in a folder, write-once: each file is created exclusively (an existing one is never
 * overwritten) and read-only. The folder should live outside the database server and its backups'
 * reach — a mounted WORM share, or a folder an outside job copies to object storage with a lock.
 * The signer's public key is kept beside them, so an auditor can check the series with this folder alone.
 */
export class FolderCheckpointStore implements CheckpointStore {
  constructor(readonly dir: string) {}

  get location(): string {
    return this.dir;
  }

  /** A folder cannot say whether it is write-once (a WORM mount); the README says how to make it so. */
  check(): Promise<string | null> {
    return Promise.resolve(null);
  }

  private async names(): Promise<string[]> {
    try {
      return (await readdir(this.dir)).filter((n) => NAME.test(n)).sort();
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
  }

  async list(opts: { last?: number } = {}): Promise<StoredCheckpoint[]> {
    const names = await this.names();
    return mapLimited(opts.last === undefined ? names : names.slice(-opts.last), READS_AT_ONCE, async (name) => ({
      name,
      text: await readFile(join(this.dir, name), 'utf8'),
    }));
  }

  /** The number the next checkpoint takes and the text of the latest (null before the first). */
  async head(): Promise<{ next: number; latestText: string | null }> {
    const names = await this.names();
    const last = names[names.length - 1];
    if (!last) return { next: 1, latestText: null };
    return { next: Number(NAME.exec(last)![1]) + 1, latestText: await readFile(join(this.dir, last), 'utf8') };
  }

  /** Writes checkpoint `number`; refuses (EEXIST) if that file exists already. */
  async write(number: number, text: string): Promise<string> {
    await mkdir(this.dir, { recursive: true });
    const name = checkpointFileName(number);
    await writeFile(join(this.dir, name), text, { flag: 'wx', mode: 0o444 });
    return name;
  }

  /** The public key kept with the checkpoints, or null when none is kept yet. */
  async publicKey(): Promise<KeyObject | null> {
    try {
      return createPublicKey(await readFile(join(this.dir, PUBLIC_KEY), 'utf8'));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
  }

  async keepPublicKey(pem: string): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    await writeFile(join(this.dir, PUBLIC_KEY), pem, { flag: 'wx', mode: 0o444 });
  }
}

/**
 * Keeps the signer's public key with the checkpoints on first use; afterwards the configured key must
 * be that one (a new key needs a new folder or prefix, so an old series is never re-signed). A store
 * holding another key is an error with code EKEYMISMATCH.
 */
export async function adoptPublicKey(store: CheckpointStore, key: KeyObject): Promise<void> {
  const pem = key.export({ type: 'spki', format: 'pem' }).toString();
  const kept = await store.publicKey();
  if (kept) {
    if (kept.export({ type: 'spki', format: 'pem' }).toString() !== pem)
      throw Object.assign(
        new Error(
          `${store.location} holds checkpoints of another signing key; configure that key, or write to a new folder or prefix for a new key`,
        ),
        { code: 'EKEYMISMATCH' },
      );
    return;
  }
  try {
    await store.keepPublicKey(pem);
  } catch (err) {
    // Another process kept its key first: it must be this one.
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    await adoptPublicKey(store, key);
  }
}
