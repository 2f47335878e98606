import { Injectable } from '@nestjs/common';
import type { Tx } from './transaction';

export interface IssuedDocumentRecord {
  id: string;
  kind: string;
  caseId: string | null;
  fundId: string | null;
  number: string;
  year: number;
  serial: number;
  sha256: string;
  sizeBytes: number;
  contentSha256: string;
  factsSha256: string;
  content: Record<string, unknown>;
  chainHeadHash: string;
  chainSeq: string;
  issueSeq: string;
  issuedBy: string;
  issuedAt: string;
}

interface DocumentRow {
  id: string;
  kind: string;
  case_id: string | null;
  fund_id: string | null;
  number: string;
  year: number;
  serial: number;
  sha256: string;
  size_bytes: string;
  content_sha256: string;
  facts_sha256: string;
  content: Record<string, unknown>;
  chain_head_hash: string;
  chain_seq: string;
  issue_seq: string;
  issued_by: string;
  issued_at: Date;
}

const COLUMNS = `id, kind, case_id, fund_id, number, year, serial, sha256, size_bytes::text AS size_bytes, content_sha256, facts_sha256, content,
  chain_head_hash, chain_seq::text AS chain_seq, issue_seq::text AS issue_seq, issued_by, issued_at`;
/** The same without the content (lists). */
const LIST_COLUMNS = COLUMNS.replace(' content,', " '{}'::jsonb AS content,");

const toRecord = (r: DocumentRow): IssuedDocumentRecord => ({
  id: r.id,
  kind: r.kind,
  caseId: r.case_id,
  fundId: r.fund_id,
  number: r.number,
  year: r.year,
  serial: r.serial,
  sha256: r.sha256,
  sizeBytes: Number(r.size_bytes),
  contentSha256: r.content_sha256,
  factsSha256: r.facts_sha256,
  content: r.content,
  chainHeadHash: r.chain_head_hash,
  chainSeq: r.chain_seq,
  issueSeq: r.issue_seq,
  issuedBy: r.issued_by,
  issuedAt: r.issued_at.toISOString(),
});

@Injectable()
export class DocumentsRepository {
  /**
   * The next number of a kind in a year: 1, 2, 3… with no gap. The row stays locked until the
   * transaction ends, and a rolled-back issue gives its number back, so numbers are gapless.
   */
  async nextSerial(tx: Tx, kind: string, year: number): Promise<number> {
    const rows = await tx.manager.query<{ last_serial: number }[]>(
      `INSERT INTO document_numbers (kind, year, last_serial) VALUES ($1, $2, 1)
       ON CONFLICT (kind, year) DO UPDATE SET last_serial = document_numbers.last_serial + 1 RETURNING last_serial`,
      [kind, year],
    );
    return rows[0].last_serial;
  }

  async insert(tx: Tx, d: IssuedDocumentRecord): Promise<void> {
    await tx.manager.query(
      `INSERT INTO issued_documents (id, kind, case_id, fund_id, number, year, serial, sha256, size_bytes, content_sha256, facts_sha256, content,
         chain_head_hash, chain_seq, issue_seq, issued_by, issued_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)`,
      [
        d.id,
        d.kind,
        d.caseId,
        d.fundId,
        d.number,
        d.year,
        d.serial,
        d.sha256,
        d.sizeBytes,
        d.contentSha256,
        d.factsSha256,
        d.content,
        d.chainHeadHash,
        d.chainSeq,
        d.issueSeq,
        d.issuedBy,
        d.issuedAt,
      ],
    );
  }

  async findById(tx: Tx, id: string): Promise<IssuedDocumentRecord | null> {
    const rows = await tx.manager.query<DocumentRow[]>(`SELECT ${COLUMNS} FROM issued_documents WHERE id = $1`, [id]);
    return rows[0] ? toRecord(rows[0]) : null;
  }

  /** The newest document of a kind for a case or a fund. */
  async latest(tx: Tx, owner: { caseId: string } | { fundId: string }, kind: string): Promise<IssuedDocumentRecord | null> {
    const [col, id] = 'caseId' in owner ? ['case_id', owner.caseId] : ['fund_id', owner.fundId];
    const rows = await tx.manager.query<DocumentRow[]>(
      `SELECT ${LIST_COLUMNS} FROM issued_documents WHERE ${col} = $1 AND kind = $2 ORDER BY issued_at DESC, serial DESC LIMIT 1`,
      [id, kind],
    );
    return rows[0] ? toRecord(rows[0]) : null;
  }

  async list(tx: Tx, owner: { caseId: string } | { fundId: string }): Promise<IssuedDocumentRecord[]> {
    const [col, id] = 'caseId' in owner ? ['case_id', owner.caseId] : ['fund_id', owner.fundId];
    const rows = await tx.manager.query<DocumentRow[]>(
      `SELECT ${LIST_COLUMNS} FROM issued_documents WHERE ${col} = $1 ORDER BY issued_at, kind, serial`,
      [id],
    );
    return rows.map(toRecord);
  }

  /** The seq and hash of the newest entry of a case's chain (or of the system chain when caseId is null). */
  async chainHead(tx: Tx, caseId: string | null): Promise<{ seq: string; hash: string }> {
    const rows = await tx.manager.query<{ seq: string; hash: string }[]>(
      caseId
        ? `SELECT seq::text AS seq, hash FROM audit_entries WHERE case_id = $1 ORDER BY seq DESC LIMIT 1`
        : `SELECT seq::text AS seq, hash FROM audit_entries WHERE case_id IS NULL ORDER BY seq DESC LIMIT 1`,
      caseId ? [caseId] : [],
    );
    return rows[0] ?? { seq: '0', hash: '0'.repeat(64) };
  }

  /** Locks a fund's row: issues of the same fund's documents are serialised. */
  async lockFund(tx: Tx, fundId: string): Promise<boolean> {
    const rows = await tx.manager.query<unknown[]>(`SELECT id FROM funds WHERE id = $1 FOR UPDATE`, [fundId]);
    return rows.length > 0;
  }
}
