import { createPublicKey, type KeyObject } from 'node:crypto';
import {
  GetObjectCommand,
  GetObjectLockConfigurationCommand,
  ListObjectVersionsCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import {
  CHECKPOINT_FILE_NAME,
  checkpointFileName,
  CHECKPOINT_PUBLIC_KEY,
  mapLimited,
  READS_AT_ONCE,
  type CheckpointStore,
} from './checkpoint-store';
import type { StoredCheckpoint } from './checkpoint';

/** Where and how checkpoints are kept in an S3-compatible bucket with Object Lock. */
export interface S3CheckpointSettings {
  bucket: string;
  /** Key prefix inside the bucket ('' or ending in '/'). */
  prefix: string;
  region: string;
  /** For S3-compatible services (MinIO, Ceph, a cloud's own): their URL; path-style addressing is used. */
  endpoint?: string;
  /** How long each object is locked from its write. */
  retentionDays: number;
  /** COMPLIANCE: nobody, not even the bucket's root account, can delete or shorten the lock. */
  lockMode: 'COMPLIANCE' | 'GOVERNANCE';
  /** Static credentials; without them the SDK's default chain (AWS_* variables, profile, instance role). */
  accessKeyId?: string;
  secretAccessKey?: string;
}

interface Version {
  key: string;
  versionId: string;
}

/** A key's versions as S3 lists them (newest first: the last is the original) and its delete markers. */
interface KeyHistory {
  writes: Version[];
  deleteMarkers: number;
}

/** The first version written under a key: S3 lists each key's versions newest first (timestamps may tie). */
const originalOf = (h: KeyHistory | undefined): Version | undefined => h?.writes[h.writes.length - 1];

/** An S3 failure as an error with a `code`, so callers tell a store that refuses from a bug. */
function storeError(err: unknown, what: string): Error {
  const e = err as { name?: string; code?: string; message?: string; $metadata?: { httpStatusCode?: number } };
  const code = e.code ?? (e.$metadata?.httpStatusCode === 412 ? 'EEXIST' : e.name && e.name !== 'Error' ? e.name : 'S3Error');
  return Object.assign(new Error(`${what}: ${e.message ?? String(err)}`, { cause: err }), { code });
}

/**
 * Checkpoints in an S3-compatible bucket with Object Lock (the bucket must be created with it, which
 * also turns versioning on). Each object is written once: `If-None-Match: *` refuses an existing
 * key, and the object is locked for `retentionDays` in the configured mode, so it can be neither
 * deleted nor replaced in that time. Somebody with write access can still put a *new version* of a
 * key or a delete marker over it; reads therefore take each key's first version (the locked
 * original), and such later versions are reported as a problem with the store.
 */
export class S3CheckpointStore implements CheckpointStore {
  private readonly client: S3Client;
  readonly location: string;

  constructor(private readonly s: S3CheckpointSettings) {
    this.location = `s3://${s.bucket}/${s.prefix}`;
    this.client = new S3Client({
      region: s.region,
      ...(s.endpoint ? { endpoint: s.endpoint, forcePathStyle: true } : {}),
      ...(s.accessKeyId && s.secretAccessKey ? { credentials: { accessKeyId: s.accessKeyId, secretAccessKey: s.secretAccessKey } } : {}),
      // A store that hangs must not hold a request (or the checkpoint writer's lock) for long.
      requestHandler: { connectionTimeout: 5_000, requestTimeout: 15_000 },
      maxAttempts: 3,
    });
  }

  /** Every version and delete marker under the prefix, by key, in S3's order. */
  private async versions(prefix = this.s.prefix): Promise<Map<string, KeyHistory>> {
    const byKey = new Map<string, KeyHistory>();
    const of = (key: string) => byKey.get(key) ?? byKey.set(key, { writes: [], deleteMarkers: 0 }).get(key)!;
    let keyMarker: string | undefined;
    let versionIdMarker: string | undefined;
    do {
      let page;
      try {
        page = await this.client.send(
          new ListObjectVersionsCommand({ Bucket: this.s.bucket, Prefix: prefix, KeyMarker: keyMarker, VersionIdMarker: versionIdMarker }),
        );
      } catch (err) {
        throw storeError(err, `Listing ${this.location}`);
      }
      for (const v of page.Versions ?? []) if (v.Key) of(v.Key).writes.push({ key: v.Key, versionId: v.VersionId ?? 'null' });
      for (const m of page.DeleteMarkers ?? []) if (m.Key) of(m.Key).deleteMarkers++;
      keyMarker = page.IsTruncated ? page.NextKeyMarker : undefined;
      versionIdMarker = page.IsTruncated ? page.NextVersionIdMarker : undefined;
    } while (keyMarker);
    return byKey;
  }

  private async read(v: Version): Promise<string> {
    try {
      const out = await this.client.send(new GetObjectCommand({ Bucket: this.s.bucket, Key: v.key, VersionId: v.versionId }));
      return await out.Body!.transformToString('utf8');
    } catch (err) {
      throw storeError(err, `Reading ${v.key} from ${this.location}`);
    }
  }

  /** The checkpoint objects by name, in number order, each with its history. */
  private async checkpointVersions(): Promise<[string, KeyHistory][]> {
    const entries: [string, KeyHistory][] = [];
    for (const [key, history] of await this.versions()) {
      const name = key.slice(this.s.prefix.length);
      if (CHECKPOINT_FILE_NAME.test(name)) entries.push([name, history]);
    }
    return entries.sort(([a], [b]) => (a < b ? -1 : 1));
  }

  /** Said when a key holds more than its first, locked version. */
  private tampering(h: KeyHistory): string | undefined {
    const rewrites = Math.max(0, h.writes.length - 1);
    if (rewrites === 0 && h.deleteMarkers === 0) return undefined;
    if (h.writes.length === 0)
      return `has no version left, only ${h.deleteMarkers} delete marker(s): its content is gone from ${this.location}.`;
    const what = [
      rewrites ? `written again ${rewrites} time(s)` : '',
      h.deleteMarkers ? `deleted (a delete marker) ${h.deleteMarkers} time(s)` : '',
    ]
      .filter(Boolean)
      .join(' and ');
    return `was ${what} after its first version; the first, locked version is the one checked. Somebody with write access to ${this.location} tried to replace or remove it.`;
  }

  async list(opts: { last?: number } = {}): Promise<StoredCheckpoint[]> {
    const all = await this.checkpointVersions();
    return mapLimited(opts.last === undefined ? all : all.slice(-opts.last), READS_AT_ONCE, async ([name, history]) => {
      const original = originalOf(history);
      // A key with nothing left to read is still listed, so that the gap is named, not silently closed.
      return { name, text: original ? await this.read(original) : '', problem: this.tampering(history) };
    });
  }

  async head(): Promise<{ next: number; latestText: string | null }> {
    const all = await this.checkpointVersions();
    if (all.length === 0) return { next: 1, latestText: null };
    const [lastName] = all[all.length - 1];
    // The latest checkpoint with content: a delete marker over the newest does not take its number back.
    const latest = [...all].reverse().find(([, h]) => originalOf(h));
    return {
      next: Number(CHECKPOINT_FILE_NAME.exec(lastName)![1]) + 1,
      latestText: latest ? await this.read(originalOf(latest[1])!) : null,
    };
  }

  private async put(name: string, text: string, contentType: string): Promise<void> {
    const retainUntil = new Date(Date.now() + this.s.retentionDays * 86_400_000);
    try {
      await this.client.send(
        new PutObjectCommand({
          Bucket: this.s.bucket,
          Key: `${this.s.prefix}${name}`,
          Body: text,
          ContentType: contentType,
          IfNoneMatch: '*',
          ObjectLockMode: this.s.lockMode,
          ObjectLockRetainUntilDate: retainUntil,
          ChecksumAlgorithm: 'SHA256',
        }),
      );
    } catch (err) {
      throw storeError(err, `Writing ${name} to ${this.location}`);
    }
  }

  async write(number: number, text: string): Promise<string> {
    const name = checkpointFileName(number);
    await this.put(name, text, 'application/json');
    return name;
  }

  async publicKey(): Promise<KeyObject | null> {
    const key = `${this.s.prefix}${CHECKPOINT_PUBLIC_KEY}`;
    const original = originalOf((await this.versions(key)).get(key));
    return original ? createPublicKey(await this.read(original)) : null;
  }

  keepPublicKey(pem: string): Promise<void> {
    return this.put(CHECKPOINT_PUBLIC_KEY, pem, 'application/x-pem-file');
  }

  /** Null when the bucket has Object Lock on; else a sentence saying what is wrong. */
  async check(): Promise<string | null> {
    try {
      const out = await this.client.send(new GetObjectLockConfigurationCommand({ Bucket: this.s.bucket }));
      if (out.ObjectLockConfiguration?.ObjectLockEnabled === 'Enabled') return null;
      return `The bucket ${this.s.bucket} does not have Object Lock enabled: checkpoints written there could be deleted or replaced. Create the bucket with Object Lock (it cannot be turned on later for every S3-compatible service).`;
    } catch (err) {
      const e = err as { name?: string; message?: string };
      if (e.name === 'ObjectLockConfigurationNotFoundError')
        return `The bucket ${this.s.bucket} has no Object Lock configuration: checkpoints written there could be deleted or replaced. Create the bucket with Object Lock.`;
      return `The checkpoint bucket ${this.location} cannot be reached to check its Object Lock (${e.name ?? 'error'}: ${e.message ?? ''}).`;
    }
  }
}
