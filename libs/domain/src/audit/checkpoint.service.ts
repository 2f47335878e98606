import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import {
  adoptPublicKey,
  openCheckpointStore,
  signCheckpoint,
  type CheckpointBody,
  type CheckpointStore,
  type StoredCheckpoint,
} from '@app/audit';
import { AppConfigService } from '@app/config';
import {
  AnchorsRepository,
  TransactionRunner,
  verifyAgainstCheckpoints,
  type CheckpointVerification,
  type Queryable,
} from '@app/persistence';
import { Clock } from '../clock';
import { DomainErrorCode, DomainException } from '../domain.exception';

/** A written checkpoint, as the API reports it. */
export interface CheckpointInfo {
  number: number;
  at: string;
  reason: string;
  chains: number;
  root: string;
  file: string;
}

const MAX_PROBLEMS = 100;

/** The signing key, its public half and the folder, when checkpoints are configured. */
interface Anchor {
  store: CheckpointStore;
  privateKey: KeyObject;
  publicKey: KeyObject;
}

/**
 * Writes and checks the anchored checkpoints (libs/audit/src/checkpoint.ts): on the scheduler's
 * interval while chains move, after every issued document, and on request; verification reads the
 * folder and compares each chain's latest pin with the database.
 */
@Injectable()
export class CheckpointService implements OnApplicationBootstrap {
  private readonly logger = new Logger('Checkpoints');
  private readonly anchor: Anchor | null;

  constructor(
    private readonly tx: TransactionRunner,
    private readonly anchors: AnchorsRepository,
    private readonly clock: Clock,
    config: AppConfigService,
  ) {
    const settings = config.get('checkpoints');
    if (!settings) {
      this.anchor = null;
      return;
    }
    let privateKey: KeyObject;
    try {
      privateKey = createPrivateKey(readFileSync(settings.keyFile, 'utf8'));
    } catch (err) {
      throw new Error(`CHECKPOINT_KEY_FILE ${settings.keyFile} cannot be read as a private key: ${(err as Error).message}`, { cause: err });
    }
    if (privateKey.asymmetricKeyType !== 'ed25519')
      throw new Error(
        `CHECKPOINT_KEY_FILE ${settings.keyFile} holds a ${privateKey.asymmetricKeyType} key; checkpoints are signed with Ed25519.`,
      );
    this.anchor = { store: openCheckpointStore(settings.store), privateKey, publicKey: createPublicKey(privateKey) };
  }

  /** Says at start-up (in the log) when the store would not keep what is written: a bucket without Object Lock. */
  onApplicationBootstrap(): void {
    const store = this.anchor?.store;
    if (!store) return;
    void store.check().then(
      (problem) => problem && this.logger.warn({ msg: problem, store: store.location }),
      (err: Error) => this.logger.warn({ msg: 'The checkpoint store could not be checked', store: store.location, err: err.message }),
    );
  }

  get configured(): boolean {
    return this.anchor !== null;
  }

  /**
   * Pins the head of every chain that moved since the last checkpoint, in a signed file; null when
   * nothing moved. One writer at a time across processes; the file is written before the
   * bookkeeping commits, so a failure leaves at worst a chain pinned again next time.
   */
  async write(reason: 'scheduled' | 'document' | 'manual'): Promise<CheckpointInfo | null> {
    const anchor = this.anchor;
    if (!anchor)
      throw new DomainException(
        DomainErrorCode.Conflict,
        'Anchored checkpoints are not configured on this server: set CHECKPOINT_DIR and CHECKPOINT_KEY_FILE and restart.',
      );
    return this.tx.run(async (tx) => {
      await this.anchors.lockWriter(tx);
      const heads = await this.anchors.movedHeads(tx);
      if (heads.length === 0) return null;
      const at = this.clock.nowIso();
      try {
        await adoptPublicKey(anchor.store, anchor.publicKey);
        const { next, latestText } = await anchor.store.head();
        const text = signCheckpoint(anchor.privateKey, { number: next, at, reason, previousText: latestText, heads });
        const file = await anchor.store.write(next, text);
        await this.anchors.markPinned(tx, heads, next);
        const body = (JSON.parse(text) as { checkpoint: CheckpointBody }).checkpoint;
        return { number: next, at, reason, chains: heads.length, root: body.root, file };
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (err instanceof DomainException || !code) throw err;
        this.logger.error({ msg: 'The checkpoint store refused the write', store: anchor.store.location, err: (err as Error).message });
        throw new DomainException(
          DomainErrorCode.Unavailable,
          code === 'EKEYMISMATCH'
            ? `Nothing was pinned: ${(err as Error).message}.`
            : `The checkpoint store cannot be written (${code}); nothing was pinned. An operator must check ${anchor.store.location} (space, permissions, mount, or the bucket's credentials and Object Lock).`,
          { retryAfterSeconds: 60 },
          '无法写入锚定检查点存储，本次未锚定；请运维人员检查该目录或存储桶（空间、权限、挂载、凭据与对象锁定）。',
        );
      }
    });
  }

  /** Writes one if chains moved; a failure is logged, never thrown (the caller's work is already committed). */
  async writeQuietly(reason: 'scheduled' | 'document'): Promise<void> {
    if (!this.anchor) return;
    try {
      const written = await this.write(reason);
      if (written) this.logger.log({ msg: 'Checkpoint written', ...written });
    } catch (err) {
      this.logger.error({ msg: 'Writing a checkpoint failed; the next one pins these chains', err: (err as Error).message });
    }
  }

  /** The checkpoints in the store, newest first (at most `limit`, only those read); 503 when the store cannot be read. */
  async list(limit = 50): Promise<CheckpointInfo[]> {
    const anchor = this.anchor;
    if (!anchor) return [];
    let files: StoredCheckpoint[];
    try {
      files = await anchor.store.list({ last: limit });
    } catch (err) {
      throw this.unreadable(anchor, err);
    }
    return files.reverse().map((f) => {
      try {
        const body = (JSON.parse(f.text) as { checkpoint: CheckpointBody }).checkpoint;
        return { number: body.number, at: body.at, reason: body.reason, chains: body.heads.length, root: body.root, file: f.name };
      } catch {
        // Not a checkpoint this server wrote (verification names it); listed so that it is seen.
        return { number: 0, at: '', reason: 'unreadable', chains: 0, root: '', file: f.name };
      }
    });
  }

  /** Logs a store that cannot be read; returns the code of its failure. */
  private logUnreadable(anchor: Anchor, err: unknown): string {
    this.logger.error({ msg: 'The checkpoint store could not be read', store: anchor.store.location, err: (err as Error).message });
    return (err as NodeJS.ErrnoException).code ?? 'error';
  }

  private unreadable(anchor: Anchor, err: unknown): DomainException {
    const code = this.logUnreadable(anchor, err);
    return new DomainException(
      DomainErrorCode.Unavailable,
      `The checkpoint store ${anchor.store.location} cannot be read (${code}); try again later, or ask an operator to check it.`,
      { retryAfterSeconds: 60 },
      '无法读取锚定检查点存储，请稍后重试或请运维人员检查。',
    );
  }

  /**
   * Every stored checkpoint, read before the database snapshot it is compared with (a checkpoint
   * written meanwhile then pins only entries the snapshot holds). A store that cannot be read is a
   * problem of the verification (not valid: the chains could not be compared), not an error.
   */
  async readForVerification(): Promise<StoredCheckpoints> {
    const anchor = this.anchor;
    if (!anchor) return { configured: false };
    try {
      return { configured: true, files: await anchor.store.list() };
    } catch (err) {
      const code = this.logUnreadable(anchor, err);
      return {
        configured: true,
        problem: `The checkpoint store ${anchor.store.location} could not be read (${code}): the chains were not compared with the checkpoints.`,
      };
    }
  }

  /** Checks the series against the key, then every pin (one case's only, when given) against the database. */
  async verify(q: Queryable, stored: StoredCheckpoints, caseId?: string): Promise<CheckpointVerification> {
    if (!this.anchor || !stored.configured)
      return { configured: false, checkpoints: 0, latest: null, pinnedChains: 0, valid: true, problems: [] };
    if ('problem' in stored)
      return { configured: true, checkpoints: 0, latest: null, pinnedChains: 0, valid: false, problems: [stored.problem] };
    return verifyAgainstCheckpoints(q, stored.files, this.anchor.publicKey, { caseId, maxReported: MAX_PROBLEMS });
  }
}

/** What verification compares the chains with: the stored checkpoints, or why they could not be read. */
export type StoredCheckpoints =
  { configured: false } | { configured: true; files: StoredCheckpoint[] } | { configured: true; problem: string };
