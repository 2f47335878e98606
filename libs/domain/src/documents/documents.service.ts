import { createHash, randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import { Injectable, Logger } from '@nestjs/common';
import { canonicalJson } from '@app/audit';
import { CASE_EVENT_TYPES, restoreSnapshot, type Actor, type CommitteeRule } from '@app/case-workflow';
import {
  AuditRepository,
  CasesRepository,
  CHUNK_BYTES,
  checkIssuedDocument,
  DocumentsRepository,
  EvidenceRepository,
  FundsRepository,
  HistoryRecorder,
  readFileChunks,
  TransactionRunner,
  UsersRepository,
  type CaseRecord,
  type DocumentCheck,
  type IssuedDocumentRecord,
  type Tx,
} from '@app/persistence';
import { CasesService } from '../cases/cases.service';
import { ExemptionService } from '../cases/exemption.service';
import { DomainErrorCode, DomainException, notFound } from '../domain.exception';
import type { CitedEvidence } from '../evidence/evidence-citation';
import { FundEvaluationService } from '../funds/fund-evaluation.service';
import {
  chinaDate,
  documentNumber,
  embeddedDocumentId,
  KIND_INFO,
  type DocumentContent,
  type DocumentFacts,
  type DocumentKind,
} from './document-content';
import {
  committeeResolutionFacts,
  exemptionDeterminationFacts,
  fundEvaluationFacts,
  publicNoticeFacts,
  type People,
} from './document-facts';
import { renderDocumentPdf } from './document-pdf';
import { Clock } from '../clock';
import { CheckpointService } from '../audit/checkpoint.service';

export const sha256Hex = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');

/** How often an issue is decided again when the case's chain moved while its facts were read. */
const ATTEMPTS = 4;

/**
 * Issued documents: built from the record alone, numbered from a gapless per-kind, per-year sequence,
 * rendered to PDF, stored like evidence and recorded on the chain. Re-issuing facts that have not
 * changed returns the document already issued.
 */
@Injectable()
export class DocumentsService {
  private readonly logger = new Logger(DocumentsService.name);

  constructor(
    private readonly tx: TransactionRunner,
    private readonly docs: DocumentsRepository,
    private readonly cases: CasesRepository,
    private readonly funds: FundsRepository,
    private readonly users: UsersRepository,
    private readonly audit: AuditRepository,
    private readonly evidence: EvidenceRepository,
    private readonly recorder: HistoryRecorder,
    private readonly exemption: ExemptionService,
    private readonly evaluation: FundEvaluationService,
    private readonly casesService: CasesService,
    private readonly clock: Clock,
    private readonly checkpoints: CheckpointService,
  ) {}

  /** Issues (or returns the unchanged) document of a case. `created` is false when it already existed. */
  async issueForCase(actor: Actor, caseId: string, kind: DocumentKind): Promise<{ document: IssuedDocumentRecord; created: boolean }> {
    // Need-to-know first: to someone who may not read the case it does not exist (404 as for a read).
    await this.tx.none((tx) => this.casesService.readable(tx, actor, caseId));
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      const record = await this.tx.none((tx) => this.cases.findById(tx, caseId));
      if (!record) throw notFound('case');
      const facts = await this.caseFacts(kind, record);
      const factsSha256 = sha256Hex(canonicalJson(facts));
      const done = await this.tx.run(async (tx) => {
        // The case row is locked (every append to its chain takes the same lock) and read again:
        // something recorded while the facts were read means reading them again.
        if (!(await this.cases.lock(tx, caseId))) throw notFound('case');
        const now = await this.cases.findById(tx, caseId);
        if (!now || now.headHash !== record.headHash) return null;
        const existing = await this.docs.latest(tx, { caseId }, kind);
        if (existing && existing.factsSha256 === factsSha256) return { document: existing, created: false };
        return {
          document: await this.write(tx, actor, facts, factsSha256, { caseId, fundId: record.fundId, state: now.state }),
          created: true,
        };
      });
      if (done) return this.anchored(done);
    }
    throw new DomainException(DomainErrorCode.Conflict, 'The case kept changing while the document was being issued; try again.');
  }

  async issueForFund(actor: Actor, fundId: string): Promise<{ document: IssuedDocumentRecord; created: boolean }> {
    const facts = await this.fundFacts(fundId);
    const factsSha256 = sha256Hex(canonicalJson(facts));
    const done = await this.tx.run(async (tx) => {
      if (!(await this.docs.lockFund(tx, fundId))) throw notFound('fund');
      const existing = await this.docs.latest(tx, { fundId }, 'fund_evaluation');
      if (existing && existing.factsSha256 === factsSha256) return { document: existing, created: false };
      return { document: await this.write(tx, actor, facts, factsSha256, { caseId: null, fundId, state: null }), created: true };
    });
    return this.anchored(done);
  }

  /** A newly issued document is pinned by a checkpoint before it is handed out (when checkpoints are configured). */
  private async anchored<T extends { created: boolean }>(done: T): Promise<T> {
    if (done.created) await this.checkpoints.writeQuietly('document');
    return done;
  }

  /**
   * Inside the issuing transaction (the case row or the fund row locked): takes the next number,
   * renders the PDF with the chain head it is issued at, stores it, and appends DOCUMENT_ISSUED.
   */
  private async write(
    tx: Tx,
    actor: Actor,
    facts: DocumentFacts,
    factsSha256: string,
    owner: { caseId: string | null; fundId: string; state: string | null },
  ): Promise<IssuedDocumentRecord> {
    const head = await this.docs.chainHead(tx, owner.caseId);
    const issuedAt = this.clock.nowIso();
    const { year, dateZh } = chinaDate(issuedAt);
    const serial = await this.docs.nextSerial(tx, facts.kind, year);
    const number = documentNumber(facts.kind, year, serial);
    const content: DocumentContent = { ...facts, number, issuedAt, dateZh };
    const contentSha256 = sha256Hex(canonicalJson(content));
    const id = randomUUID();
    const pdf = await renderDocumentPdf(content, {
      documentId: id,
      number,
      caseId: owner.caseId,
      fundId: owner.caseId ? null : owner.fundId,
      chainHeadHash: head.hash,
      chainSeq: head.seq,
      contentSha256,
    });
    const sha256 = sha256Hex(pdf);
    for (let n = 0; n * CHUNK_BYTES < pdf.length; n++)
      await this.evidence.insertChunk(tx, id, n, pdf.subarray(n * CHUNK_BYTES, (n + 1) * CHUNK_BYTES));
    const payload = {
      documentId: id,
      kind: facts.kind,
      number,
      sha256,
      sizeBytes: pdf.length,
      contentSha256,
      factsSha256,
      chainHeadHash: head.hash,
      chainSeq: head.seq,
      ...(owner.caseId ? {} : { fundId: owner.fundId }),
    };
    const entry = owner.caseId
      ? await this.recorder.append(tx, {
          kind: 'case_note',
          actor,
          at: issuedAt,
          caseId: owner.caseId,
          type: 'DOCUMENT_ISSUED',
          state: owner.state ?? '',
          payload,
        })
      : await this.recorder.append(tx, { kind: 'system', actor, at: issuedAt, type: 'DOCUMENT_ISSUED', payload });
    const doc: IssuedDocumentRecord = {
      id,
      kind: facts.kind,
      caseId: owner.caseId,
      fundId: owner.fundId,
      number,
      year,
      serial,
      sha256,
      sizeBytes: pdf.length,
      contentSha256,
      factsSha256,
      content: content as unknown as Record<string, unknown>,
      chainHeadHash: head.hash,
      chainSeq: head.seq,
      issueSeq: entry.seq,
      issuedBy: actor.id,
      issuedAt,
    };
    await this.docs.insert(tx, doc);
    this.logger.log({ msg: 'document issued', documentId: id, kind: facts.kind, number, caseId: owner.caseId, fundId: owner.fundId });
    return doc;
  }

  private async people(ids: string[]): Promise<People> {
    const users = await this.tx.none((tx) => this.users.findByIds(tx, [...new Set(ids)]));
    return Object.fromEntries(users.map((u) => [u.id, u.displayName]));
  }

  private async caseFacts(kind: DocumentKind, record: CaseRecord): Promise<DocumentFacts> {
    const fund = await this.tx.none((tx) => this.funds.findById(tx, record.fundId));
    const history = await this.tx.none((tx) => this.audit.listByCase(tx, record.id));
    const basics = {
      caseId: record.id,
      fundId: record.fundId,
      fundName: fund?.name ?? record.fundId,
      fundType: fund?.type ?? '',
      companyName: record.companyName,
      sector: record.sector,
      requestedAmountFen: record.requestedAmountFen,
      ownerId: record.ownerId,
      state: record.state,
    };
    const closing = [...history].reverse().find((e) => e.type === 'CLOSE_VOTING');
    const citedUpTo = (maxSeq: bigint | null) =>
      history
        .filter((e) => maxSeq === null || BigInt(e.seq) <= maxSeq)
        .map((e) => ({ event: e.type, files: (e.payload.server as { citedEvidence?: CitedEvidence[] } | undefined)?.citedEvidence ?? [] }))
        .filter((c) => c.files.length > 0);
    let facts: DocumentFacts | null;
    if (kind === 'committee_resolution') {
      const ctx = restoreSnapshot(record.snapshot, record.machineVersion).context;
      const ids = [record.ownerId, ...ctx.votes.map((v) => v.by), ...Object.values(ctx.ddReports).map((r) => r.by)];
      if (ctx.screening) ids.push(ctx.screening.by);
      if (ctx.riskOpinion) ids.push(ctx.riskOpinion.by);
      if (ctx.committeeDecision) ids.push(ctx.committeeDecision.by);
      const rule = (closing?.payload.server as { rule?: CommitteeRule } | undefined)?.rule ?? null;
      facts = committeeResolutionFacts({
        ...basics,
        ctx,
        rule,
        cited: citedUpTo(closing ? BigInt(closing.seq) : null),
        people: await this.people(ids),
      });
      if (!facts) throw this.notYet(kind, record.state, 'the committee has not closed its voting on this case');
    } else if (kind === 'exemption_determination' || kind === 'public_notice') {
      const exemption = await this.exemption.recordForDocument(record.id);
      const input = { ...basics, record: exemption, cited: citedUpTo(null) };
      facts = kind === 'exemption_determination' ? exemptionDeterminationFacts(input) : publicNoticeFacts(input);
      if (!facts) throw this.notYet(kind, record.state, 'no exemption decision has been taken on this case');
    } else {
      throw new DomainException(DomainErrorCode.InvalidInput, `${kind} is issued for a fund: POST /api/funds/{id}/documents.`);
    }
    return facts;
  }

  private notYet(kind: DocumentKind, state: string, why: string): DomainException {
    return new DomainException(
      DomainErrorCode.RuleViolated,
      `A ${KIND_INFO[kind].titleEn.toLowerCase()} cannot be issued yet: ${why} (the case is in ${state}).`,
      { state },
      `尚不能签发${KIND_INFO[kind].titleZh}：记录中尚无相应决定。`,
    );
  }

  private async fundFacts(fundId: string): Promise<DocumentFacts> {
    // The fund's whole-life evaluation as GET /api/funds/:id/evaluation gives it (its moment of
    // evaluation is not a fact of the document: the issue date is).
    return fundEvaluationFacts(await this.evaluation.evaluate(fundId));
  }

  async listForCase(actor: Actor, caseId: string): Promise<IssuedDocumentRecord[]> {
    return this.tx.none(async (tx) => {
      await this.casesService.readable(tx, actor, caseId);
      return this.docs.list(tx, { caseId });
    });
  }

  async listForFund(fundId: string): Promise<IssuedDocumentRecord[]> {
    return this.tx.none(async (tx) => {
      if (!(await this.funds.findById(tx, fundId))) throw notFound('fund');
      return this.docs.list(tx, { fundId });
    });
  }

  /** The PDF; a case's document only for those who may read the case (need-to-know), else 404. */
  async open(actor: Actor, id: string): Promise<{ document: IssuedDocumentRecord; chunks: AsyncGenerator<Buffer> }> {
    const document = await this.tx.none(async (tx) => {
      const found = await this.docs.findById(tx, id);
      return found?.caseId && !(await this.casesService.mayRead(tx, actor, found.caseId)) ? null : found;
    });
    if (!document) throw notFound('document');
    const chunks = readFileChunks((sql, params) => this.tx.none((tx) => tx.manager.query<unknown[]>(sql, params)), id);
    return { document, chunks };
  }

  /** Checks a PDF (streamed; at most `maxBytes` read): issued here, unchanged, and whether the record moved on. */
  async verify(stream: Readable, maxBytes: number): Promise<DocumentCheck & { sha256: string; sizeBytes: number }> {
    const hash = createHash('sha256');
    let size = 0;
    let id: string | null = null;
    let tail = Buffer.alloc(0);
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > maxBytes) continue;
      hash.update(chunk);
      const window = Buffer.concat([tail, chunk]);
      id ??= embeddedDocumentId(window);
      tail = window.subarray(Math.max(0, window.length - 128));
    }
    if (size === 0)
      throw new DomainException(DomainErrorCode.InvalidInput, 'The file is empty; send the PDF to check.', undefined, '文件为空。');
    if (size > maxBytes)
      throw new DomainException(DomainErrorCode.TooLarge, `The file is larger than ${maxBytes} bytes: no document issued here is.`);
    const sha256 = hash.digest('hex');
    const check = await this.tx.snapshot((tx) =>
      checkIssuedDocument((sql, p) => tx.manager.query<unknown[]>(sql, p), sha256, id, CASE_EVENT_TYPES),
    );
    return { ...check, sha256, sizeBytes: size };
  }
}
