import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { canonicalJson } from '@app/audit';
import { IdempotencyRepository, TransactionRunner, type Tx } from '@app/persistence';
import { Clock } from '../clock';
import { DomainErrorCode, DomainException } from '../domain.exception';

/** How long a first answer is kept and replayed. */
export const IDEMPOTENCY_RETENTION_MS = 24 * 3600 * 1000;

/** A state-changing request sent with an `Idempotency-Key`: whose, which key, and a hash of the request itself. */
export interface IdempotentRequest {
  userId: string;
  key: string;
  /** SHA-256 of the method, path and body: the same key with another request is refused (422). */
  requestHash: string;
  /** Set once the answer is stored (by the service, in the transaction of the change). */
  recorded?: boolean;
}

/** SHA-256 of a request's method, path and body: what tells a retry from another request under the same key. */
export function requestHashOf(method: string, url: string, body: unknown): string {
  return createHash('sha256').update(canonicalJson({ method, url, body })).digest('hex');
}

/**
 * A multipart upload sent with an `Idempotency-Key`: its body is a file stream the route reads itself,
 * so its request hash (the file's name and SHA-256 in place of a body) is known only once the file is read.
 */
export interface IdempotentUpload {
  userId: string;
  key: string;
  method: string;
  url: string;
}

/** The upload as an idempotent request, once its file has been read. */
export function uploadRequest(upload: IdempotentUpload, file: { fileName: string; sha256: string }): IdempotentRequest {
  return {
    userId: upload.userId,
    key: upload.key,
    requestHash: requestHashOf(upload.method, upload.url, { file: { fileName: file.fileName, sha256: file.sha256 } }),
  };
}

export interface FirstAnswer {
  statusCode: number;
  response: unknown;
}

/**
 * Exactly-once retries. A request with a key seen within 24 hours gets the first answer again and
 * changes nothing; the answer is stored in the transaction of the change it answers for, so either
 * both are written or neither. Only accepted requests are stored: a refused one wrote nothing, and
 * its retry is decided afresh.
 */
@Injectable()
export class IdempotencyService {
  constructor(
    private readonly clock: Clock,
    private readonly tx: TransactionRunner,
    private readonly repo: IdempotencyRepository,
  ) {}

  private notBefore(): Date {
    return new Date(this.clock.now().getTime() - IDEMPOTENCY_RETENTION_MS);
  }

  /** The first answer given to this key, or null; 422 when the key was used for another request. */
  async previous(req: IdempotentRequest): Promise<FirstAnswer | null> {
    const found = await this.tx.none((tx) => this.repo.find(tx, req.userId, req.key, this.notBefore()));
    if (!found) return null;
    if (found.requestHash !== req.requestHash) {
      throw new DomainException(
        DomainErrorCode.RuleViolated,
        `The Idempotency-Key "${req.key}" was used at ${found.createdAt} for another request (another path or body); send a new key for a new request.`,
        { firstUsedAt: found.createdAt },
        `该幂等键（Idempotency-Key）已于 ${found.createdAt} 用于另一请求（路径或内容不同）；新的请求请使用新的键。`,
      );
    }
    return { statusCode: found.statusCode, response: found.response };
  }

  /** Whether the user's key has a first answer (for whatever request). */
  async answered(userId: string, key: string): Promise<boolean> {
    return (await this.tx.none((tx) => this.repo.find(tx, userId, key, this.notBefore()))) !== null;
  }

  /**
   * Stores the answer in the caller's transaction. When another request with the same key was
   * answered first, refuses (409) so that the caller's transaction rolls back; its retry then finds
   * the first answer.
   */
  async record(tx: Tx, req: IdempotentRequest, statusCode: number, response: unknown): Promise<void> {
    const at = this.clock.now();
    const stored = await this.repo.insert(tx, { ...req, statusCode, response, at, notBefore: this.notBefore() });
    if (!stored) {
      throw new DomainException(
        DomainErrorCode.Conflict,
        `Another request with the Idempotency-Key "${req.key}" was answered first; nothing was changed by this one.`,
        undefined,
        `同一幂等键的另一请求已先被处理；本请求未作任何更改。`,
      );
    }
    req.recorded = true;
  }

  /** Stores the answer of a change that committed on its own (routes whose service takes no key). */
  async recordAfter(req: IdempotentRequest, statusCode: number, response: unknown): Promise<void> {
    await this.tx.run((tx) => this.record(tx, req, statusCode, response));
  }

  /** Deletes expired answers, in batches; returns how many. */
  async deleteExpired(batch = 1000): Promise<number> {
    let total = 0;
    for (;;) {
      const n = await this.tx.none((tx) => this.repo.deleteExpired(tx, this.notBefore(), batch));
      total += n;
      if (n < batch) return total;
    }
  }
}
