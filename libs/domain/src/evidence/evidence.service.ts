import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { Injectable, Logger } from '@nestjs/common';
import type { Actor } from '@app/case-workflow';
import { AppConfigService } from '@app/config';
import {
  CasesRepository,
  CHUNK_BYTES,
  EvidenceRepository,
  HistoryRecorder,
  TransactionRunner,
  type EvidenceRecord,
  type Tx,
} from '@app/persistence';
import { CasesService } from '../cases/cases.service';
import { DomainErrorCode, DomainException, notFound } from '../domain.exception';
import { IdempotencyService, uploadRequest, type FirstAnswer, type IdempotentUpload } from '../idempotency/idempotency.service';
import { KIND_NAMES, MediaTypeSniffer } from './media-type.sniffer';
import { Clock } from '../clock';

/** A file as it arrives: the name the client gave, and its bytes as a stream (read once). */
export interface IncomingFile {
  fileName: string;
  stream: Readable;
}

/** What an upload answers: the stored file's record, or (a retry with the same Idempotency-Key) the first answer again. */
export interface UploadAnswer {
  statusCode: number;
  body: EvidenceRecord;
  replayed: boolean;
}

const replay = (first: FirstAnswer): UploadAnswer => ({
  statusCode: first.statusCode,
  body: first.response as EvidenceRecord,
  replayed: true,
});

const MB = 1024 * 1024;
const sizeText = (bytes: number) => (bytes % MB === 0 ? `${bytes / MB} MB` : `${bytes} bytes`);

/** The client's file name, made safe to store and to send back: no path, no control characters. */
export function cleanFileName(raw: string): string {
  const base = raw.normalize('NFC').split(/[/\\]/).pop() ?? '';
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is removed
  const name = base.replace(/[\u0000-\u001f\u007f]/g, '').trim();
  return [...name].slice(0, 200).join('');
}

/**
 * Evidence files: uploaded to a case by someone who may act on it, stored append-only in PostgreSQL
 * (metadata row + ordered chunks) with an entry on the case's chain carrying the SHA-256, and read
 * back by whoever may read the case.
 */
@Injectable()
export class EvidenceService {
  private readonly logger = new Logger(EvidenceService.name);

  constructor(
    private readonly tx: TransactionRunner,
    private readonly evidence: EvidenceRepository,
    private readonly cases: CasesService,
    private readonly caseRows: CasesRepository,
    private readonly recorder: HistoryRecorder,
    private readonly config: AppConfigService,
    private readonly clock: Clock,
    private readonly idempotency: IdempotencyService,
  ) {}

  /**
   * 404 unless the case exists and the caller may read it; 403 unless the caller may act on it now
   * (team, or an event they could send). A retry under an Idempotency-Key that already has an answer
   * may have moved the case on, so only the read is checked here: once its file is read it gets the
   * first answer or a 422; should the answer have expired meanwhile, `upload` checks again in full
   * before storing anything.
   */
  async assertMayUpload(actor: Actor, caseId: string, key?: IdempotentUpload): Promise<void> {
    const view = await this.cases.get(actor, caseId);
    if (key && (await this.idempotency.answered(key.userId, key.key))) return;
    const final = view.state === 'closed' || view.state === 'rejected';
    const onTeam = !final && (view.ownerId === actor.id || view.team.includes(actor.id));
    if (!onTeam && view.availableEvents.length === 0) {
      throw new DomainException(
        DomainErrorCode.Forbidden,
        `You may not add evidence to this case now: evidence is added by its team or by someone who can act on it in ${view.state}.`,
        undefined,
        '您当前不能向该项目提交证据材料：仅项目组成员或当前可办理该项目的人员可以上传。',
      );
    }
  }

  /**
   * Streams the file to a temporary file while hashing it and sniffing its type (memory stays flat),
   * refuses it (nothing stored) when empty, too large or of a type not accepted, then writes it in one
   * transaction: the chunks, the metadata row and the EVIDENCE_UPLOADED entry on the case's chain.
   * With an Idempotency-Key (`key`), the request is the file's name and SHA-256 on this path: a repeat
   * gets the first answer and stores nothing, another file under the key is a 422, and a new key's
   * answer is stored in the upload's transaction (both are written or neither).
   */
  async upload(actor: Actor, caseId: string, file: IncomingFile, key?: IdempotentUpload): Promise<UploadAnswer> {
    const { maxBytes, allowedKinds } = this.config.get('evidence');
    const fileName = cleanFileName(file.fileName);
    const spool = join(tmpdir(), `pcw-upload-${randomUUID()}`);
    try {
      const hash = createHash('sha256');
      const sniffer = new MediaTypeSniffer();
      let size = 0;
      const out = createWriteStream(spool, { flags: 'wx', mode: 0o600 });
      for await (const chunk of file.stream as AsyncIterable<Buffer>) {
        size += chunk.length;
        if (size > maxBytes) continue; // keep reading (the client is still sending) but store nothing
        hash.update(chunk);
        sniffer.push(chunk);
        if (!out.write(chunk)) await new Promise<void>((r) => out.once('drain', () => r()));
      }
      out.end();
      await finished(out);
      if (!fileName) {
        throw new DomainException(
          DomainErrorCode.InvalidInput,
          'The file has no name; send it with a file name (multipart field file).',
          undefined,
          '文件缺少文件名。',
        );
      }
      if (size === 0) {
        throw new DomainException(
          DomainErrorCode.InvalidInput,
          `The file ${fileName} is empty (0 bytes); nothing was stored.`,
          undefined,
          `文件“${fileName}”为空，未保存。`,
        );
      }
      if (size > maxBytes) {
        throw new DomainException(
          DomainErrorCode.TooLarge,
          `The file ${fileName} is larger than the limit of ${sizeText(maxBytes)}; nothing was stored.`,
          { maxBytes },
          `文件“${fileName}”超过 ${sizeText(maxBytes)} 的上限，未保存。`,
        );
      }
      const sniffed = sniffer.finish();
      if (!sniffed.kind || !allowedKinds.includes(sniffed.kind)) {
        const accepted = allowedKinds.map((k) => KIND_NAMES[k]).join(', ');
        throw new DomainException(
          DomainErrorCode.UnsupportedMediaType,
          `The file ${fileName} is ${sniffed.description} by its content (whatever its name says), which is not accepted as evidence; accepted: ${accepted}. Nothing was stored.`,
          { detected: sniffed.mediaType, accepted: allowedKinds },
          `文件“${fileName}”的实际内容为不被接受的类型（${sniffed.mediaType}），未保存。`,
        );
      }
      const sha256 = hash.digest('hex');
      const idem = key ? uploadRequest(key, { fileName, sha256 }) : undefined;
      const first = idem ? await this.idempotency.previous(idem) : null;
      if (first) return replay(first);
      // Not a replay after all (or no key): whoever stores a file must be allowed to now.
      if (key) await this.assertMayUpload(actor, caseId);
      const id = randomUUID();
      let record: EvidenceRecord;
      try {
        record = await this.tx.run(async (tx) => {
          await this.writeChunks(tx, id, createReadStream(spool, { highWaterMark: CHUNK_BYTES }));
          const state = (await this.caseRows.findById(tx, caseId))?.state;
          if (!state) throw notFound('case');
          const uploadedAt = this.clock.nowIso();
          const entry = await this.recorder.append(tx, {
            kind: 'case_note',
            actor,
            at: uploadedAt,
            caseId,
            type: 'EVIDENCE_UPLOADED',
            state,
            payload: { evidenceId: id, fileName, mediaType: sniffed.mediaType, sizeBytes: size, sha256 },
          });
          const rec: EvidenceRecord = {
            id,
            caseId,
            fileName,
            mediaType: sniffed.mediaType,
            sizeBytes: size,
            sha256,
            uploadedBy: actor.id,
            uploadedAt,
            chainSeq: entry.seq,
          };
          await this.evidence.insert(tx, rec);
          if (idem) await this.idempotency.record(tx, idem, 201, rec);
          return rec;
        });
      } catch (err) {
        // Lost a race to the same key: nothing of this one was written; the winner's answer.
        const won = idem ? await this.idempotency.previous(idem) : null;
        if (won) return replay(won);
        throw err;
      }
      this.logger.log({ msg: 'evidence uploaded', caseId, evidenceId: id, sizeBytes: size, mediaType: sniffed.mediaType });
      return { statusCode: 201, body: record, replayed: false };
    } finally {
      file.stream.resume();
      await rm(spool, { force: true });
    }
  }

  /** Writes a stream as the stored file `fileId`, in CHUNK_BYTES chunks. */
  async writeChunks(tx: Tx, fileId: string, stream: AsyncIterable<Buffer>): Promise<void> {
    let n = 0;
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    for await (const chunk of stream) {
      pending.push(chunk);
      pendingBytes += chunk.length;
      while (pendingBytes >= CHUNK_BYTES) {
        const all = Buffer.concat(pending);
        await this.evidence.insertChunk(tx, fileId, n++, all.subarray(0, CHUNK_BYTES));
        pending = [all.subarray(CHUNK_BYTES)];
        pendingBytes = all.length - CHUNK_BYTES;
      }
    }
    if (pendingBytes > 0 || n === 0) await this.evidence.insertChunk(tx, fileId, n, Buffer.concat(pending));
  }

  async list(actor: Actor, caseId: string): Promise<EvidenceRecord[]> {
    await this.cases.get(actor, caseId); // 404 for an unknown case
    return this.tx.none((tx) => this.evidence.listByCase(tx, caseId));
  }

  /** The file's record and its bytes as a stream; 404 when there is no such file or the caller may not read its case. */
  async open(actor: Actor, id: string): Promise<{ record: EvidenceRecord; chunks: AsyncGenerator<Buffer> }> {
    const record = await this.tx.none(async (tx) => {
      const found = await this.evidence.findById(tx, id);
      // Need-to-know: a file of a case the caller may not read does not exist for them.
      return found && (await this.cases.mayRead(tx, actor, found.caseId)) ? found : null;
    });
    if (!record) throw notFound('evidence file');
    // Pool-level reads, one batch of chunks per query: the chunks never change, so no snapshot is needed.
    const chunks = await this.tx.none((tx) => Promise.resolve(this.evidence.chunks(tx, id)));
    return { record, chunks };
  }
}
