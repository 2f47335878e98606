import { Injectable } from '@nestjs/common';
import type { Tx } from './transaction';
import { readFileChunks } from './stored-files';

export interface EvidenceRecord {
  id: string;
  caseId: string;
  fileName: string;
  mediaType: string;
  sizeBytes: number;
  sha256: string;
  uploadedBy: string;
  uploadedAt: string;
  chainSeq: string;
}

interface EvidenceRow {
  id: string;
  case_id: string;
  file_name: string;
  media_type: string;
  size_bytes: string;
  sha256: string;
  uploaded_by: string;
  uploaded_at: Date;
  chain_seq: string;
}

const toRecord = (r: EvidenceRow): EvidenceRecord => ({
  id: r.id,
  caseId: r.case_id,
  fileName: r.file_name,
  mediaType: r.media_type,
  sizeBytes: Number(r.size_bytes),
  sha256: r.sha256,
  uploadedBy: r.uploaded_by,
  uploadedAt: r.uploaded_at.toISOString(),
  chainSeq: String(r.chain_seq),
});

const COLUMNS =
  'id, case_id, file_name, media_type, size_bytes::text AS size_bytes, sha256, uploaded_by, uploaded_at, chain_seq::text AS chain_seq';

@Injectable()
export class EvidenceRepository {
  /** Appends one chunk of a stored file (evidence or document). */
  async insertChunk(tx: Tx, fileId: string, n: number, data: Buffer): Promise<void> {
    await tx.prepared('file_chunk_insert', `INSERT INTO file_chunks (file_id, n, data) VALUES ($1, $2, $3)`, [fileId, n, data]);
  }

  async insert(tx: Tx, e: EvidenceRecord): Promise<void> {
    await tx.manager.query(
      `INSERT INTO evidence_files (id, case_id, file_name, media_type, size_bytes, sha256, uploaded_by, uploaded_at, chain_seq)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [e.id, e.caseId, e.fileName, e.mediaType, e.sizeBytes, e.sha256, e.uploadedBy, e.uploadedAt, e.chainSeq],
    );
  }

  async findById(tx: Tx, id: string): Promise<EvidenceRecord | null> {
    const rows = await tx.manager.query<EvidenceRow[]>(`SELECT ${COLUMNS} FROM evidence_files WHERE id = $1`, [id]);
    return rows[0] ? toRecord(rows[0]) : null;
  }

  async findByIds(tx: Tx, ids: string[]): Promise<EvidenceRecord[]> {
    const rows = await tx.manager.query<EvidenceRow[]>(`SELECT ${COLUMNS} FROM evidence_files WHERE id = ANY($1::uuid[])`, [ids]);
    return rows.map(toRecord);
  }

  /** A case's evidence, oldest first. */
  async listByCase(tx: Tx, caseId: string): Promise<EvidenceRecord[]> {
    const rows = await tx.manager.query<EvidenceRow[]>(
      `SELECT ${COLUMNS} FROM evidence_files WHERE case_id = $1 ORDER BY uploaded_at, id`,
      [caseId],
    );
    return rows.map(toRecord);
  }

  /** The stored bytes of a file, chunk by chunk. */
  chunks(tx: Tx, fileId: string): AsyncGenerator<Buffer> {
    return readFileChunks((sql, params) => tx.manager.query<unknown[]>(sql, params), fileId);
  }
}
