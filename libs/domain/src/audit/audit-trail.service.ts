import { Injectable } from '@nestjs/common';
import { CaseRecordsCheck, type CaseRecordsSummary } from '@app/case-workflow';
import { SummaryBuilder, verifyCaseChains, verifyChainStream, type AuditEntry, type ChainResult, type ChainsSummary } from '@app/audit';
import {
  AuditRepository,
  CasesRepository,
  readCaseEntries,
  readCaseRows,
  readChainBySeq,
  readSystemEntries,
  readSystemHead,
  TransactionRunner,
  verifyStoredFiles,
  type CheckpointVerification,
  type CaseRowHead,
  type StoredFilesSummary,
} from '@app/persistence';
import { DomainErrorCode, DomainException, notFound } from '../domain.exception';
import { CheckpointService } from './checkpoint.service';

export interface AuditEventsQuery {
  caseId?: string;
  actorId?: string;
  type?: string;
  from?: Date;
  to?: Date;
  limit: number;
  cursor?: string;
}

export interface AuditVerification extends ChainsSummary {
  /** The broken chains, lowest first broken seq first; at most MAX_REPORTED of them. */
  broken: ChainResult[];
  /** Stored files (evidence, issued documents) recomputed against their chain entries; each that differs is named. */
  files: StoredFilesSummary;
  /** Each case row compared with what its chain, replayed through the machine, produces; each that differs is named with its first differing field. */
  records: CaseRecordsSummary;
  /** The chains against the signed checkpoints outside the database (a rewrite re-hashed inside it is found here). */
  checkpoints: CheckpointVerification;
}

/** How many broken chains a verification lists (the summary still counts them all). */
export const MAX_REPORTED = 100;

const encodeCursor = (seq: string) => Buffer.from(`a1:${seq}`).toString('base64url');
function decodeCursor(cursor: string): string {
  const m = /^a1:([1-9][0-9]{0,18})$/.exec(Buffer.from(cursor, 'base64url').toString());
  if (!m) throw new DomainException(DomainErrorCode.InvalidInput, 'The cursor is not valid; use the nextCursor of a previous page.');
  return m[1];
}

/** Chains broken at an entry first, lowest seq first; chains whose only fault is the head last. */
function byFirstBrokenSeq(a: ChainResult, b: ChainResult): number {
  if (a.firstBrokenSeq === undefined || b.firstBrokenSeq === undefined)
    return (a.firstBrokenSeq === undefined ? 1 : 0) - (b.firstBrokenSeq === undefined ? 1 : 0);
  const x = BigInt(a.firstBrokenSeq);
  const y = BigInt(b.firstBrokenSeq);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** What auditors read: the history queried across cases, verified, and exported. */
@Injectable()
export class AuditTrailService {
  constructor(
    private readonly tx: TransactionRunner,
    private readonly audit: AuditRepository,
    private readonly cases: CasesRepository,
    private readonly checkpoints: CheckpointService,
  ) {}

  /** Entries matching the filters, oldest first, with keyset pagination. */
  async events(q: AuditEventsQuery): Promise<{ items: AuditEntry[]; nextCursor: string | null }> {
    if (q.from && q.to && q.from >= q.to) {
      throw new DomainException(DomainErrorCode.InvalidInput, `from (${q.from.toISOString()}) must be before to (${q.to.toISOString()}).`);
    }
    const afterSeq = q.cursor ? decodeCursor(q.cursor) : undefined;
    return this.tx.none(async (tx) => {
      if (afterSeq && !(await this.audit.exists(tx, afterSeq))) {
        throw new DomainException(
          DomainErrorCode.InvalidInput,
          'The cursor does not point at an entry of this history; use the nextCursor of a previous page.',
        );
      }
      const rows = await this.audit.query(tx, {
        caseId: q.caseId,
        actorId: q.actorId,
        type: q.type,
        from: q.from,
        to: q.to,
        afterSeq,
        limit: q.limit + 1,
      });
      const items = rows.slice(0, q.limit);
      const last = items[items.length - 1];
      return { items, nextCursor: rows.length > q.limit && last ? encodeCursor(last.seq) : null };
    });
  }

  /**
   * Recomputes every chain (or one case's) on one consistent snapshot, streaming in batches: each
   * entry must hash to its hash and link to the one before, and the newest must be the stored head.
   * In the same pass each case's chain is replayed through the machine and the case row (state,
   * version, snapshot, proposal, amounts) compared with the result.
   */
  async verify(caseId?: string): Promise<AuditVerification> {
    const stored = await this.checkpoints.readForVerification();
    return this.tx.snapshot(async (tx) => {
      const q = this.audit.queryable(tx);
      if (caseId && !(await this.cases.findById(tx, caseId))) throw notFound('case');
      const broken: ChainResult[] = [];
      const onChain = (r: ChainResult) => {
        if (!r.valid) broken.push(r);
      };
      const total = new SummaryBuilder();
      const records = new CaseRecordsCheck(MAX_REPORTED);
      total.merge(
        await verifyCaseChains<CaseRowHead>(readCaseRows(q, { caseId }), readCaseEntries(q, { caseId }), onChain, (id) =>
          records.follow(id),
        ),
      );
      if (!caseId) {
        const system = await verifyChainStream(null, readSystemEntries(q), await readSystemHead(q));
        onChain(system);
        total.add(system);
      }
      const files = await verifyStoredFiles(q, { caseId, maxReported: MAX_REPORTED });
      const checkpoints = await this.checkpoints.verify(q, stored, caseId);
      const chains = total.build();
      const recordsSummary = records.summary();
      return {
        ...chains,
        valid: chains.valid && files.brokenCount === 0 && recordsSummary.differingCount === 0 && checkpoints.valid,
        broken: broken.sort(byFirstBrokenSeq).slice(0, MAX_REPORTED),
        files,
        records: recordsSummary,
        checkpoints,
      };
    });
  }

  /** 404 unless the case exists; call before a response starts streaming. */
  async assertCase(caseId: string): Promise<void> {
    if (!(await this.tx.none((tx) => this.cases.findById(tx, caseId)))) throw notFound('case');
  }

  /**
   * Hands every entry of one case's chain (or of the whole history), in seq order, to `write`, from
   * one consistent snapshot and in batches: nothing is held in memory but the current batch.
   */
  async export(caseId: string | undefined, write: (e: AuditEntry) => Promise<void> | void): Promise<number> {
    return this.tx.snapshot(async (tx) => {
      const q = this.audit.queryable(tx);
      let n = 0;
      const entries = caseId ? readChainBySeq(q, 'case_id = $1', [caseId], 1000) : readChainBySeq(q, '', [], 1000);
      for await (const e of entries) {
        await write(e);
        n++;
      }
      return n;
    });
  }
}
