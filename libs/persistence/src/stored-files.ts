import { createHash } from 'node:crypto';
import type { Queryable } from './audit-chain.reader';

/**
 * Stored files (evidence and issued documents) are kept as ordered chunks in `file_chunks`. These
 * functions take a plain query function (no Nest, no TypeORM), so the API and the standalone
 * verifier share them.
 */
export const CHUNK_BYTES = 512 * 1024;

/** The chunks of one file in order, a few at a time: memory holds one batch, whatever the file's size. */
export async function* readFileChunks(q: Queryable, fileId: string, batch = 4): AsyncGenerator<Buffer> {
  let next = 0;
  for (;;) {
    const rows = (await q(`SELECT n, data FROM file_chunks WHERE file_id = $1 AND n >= $2 ORDER BY n LIMIT $3`, [fileId, next, batch])) as {
      n: number;
      data: Buffer;
    }[];
    for (const r of rows) yield r.data;
    if (rows.length < batch) return;
    next = rows[rows.length - 1].n + 1;
  }
}

/** Recomputes a stored file's SHA-256 and size from its chunks. */
export async function hashStoredFile(q: Queryable, fileId: string): Promise<{ sha256: string; sizeBytes: number; chunks: number }> {
  const h = createHash('sha256');
  let size = 0;
  let chunks = 0;
  for await (const c of readFileChunks(q, fileId)) {
    h.update(c);
    size += c.length;
    chunks++;
  }
  return { sha256: h.digest('hex'), sizeBytes: size, chunks };
}

/** A stored file whose content does not match what its chain entry recorded. */
export interface StoredFileProblem {
  kind: 'evidence' | 'document';
  id: string;
  caseId: string | null;
  fileName: string | null;
  /** The chain entry that recorded the file. */
  seq: string;
  problem: string;
}

export interface StoredFilesSummary {
  /** Files recomputed. */
  checked: number;
  broken: StoredFileProblem[];
  /** Problems found (the list may be cut at `maxReported`). */
  brokenCount: number;
}

/** The chain entries that record a stored file, and where the file's id, hash and size sit in their payload. */
export const FILE_ENTRY_TYPES: Record<string, { kind: StoredFileProblem['kind']; idField: string }> = {
  EVIDENCE_UPLOADED: { kind: 'evidence', idField: 'evidenceId' },
  DOCUMENT_ISSUED: { kind: 'document', idField: 'documentId' },
};

interface FileEntryRow {
  seq: string;
  case_id: string | null;
  type: string;
  payload: Record<string, unknown>;
}

/**
 * Walks every chain entry that recorded a file (or those of one case) in seq order, recomputes the
 * file's SHA-256 and size from its stored chunks and compares them with the entry (whose own
 * integrity the chain verification proves). Also reports evidence rows no entry records.
 */
export async function verifyStoredFiles(
  q: Queryable,
  opts: { caseId?: string; batch?: number; maxReported?: number } = {},
): Promise<StoredFilesSummary> {
  const batch = opts.batch ?? 500;
  const max = opts.maxReported ?? 100;
  const broken: StoredFileProblem[] = [];
  let brokenCount = 0;
  let checked = 0;
  const report = (p: StoredFileProblem) => {
    brokenCount++;
    if (broken.length < max) broken.push(p);
  };
  const types = Object.keys(FILE_ENTRY_TYPES);
  let after = '-1';
  for (;;) {
    const rows = (await q(
      `SELECT seq::text AS seq, case_id::text AS case_id, type, payload FROM audit_entries
        WHERE type = ANY($1::varchar[]) AND seq > $2::bigint ${opts.caseId ? 'AND case_id = $4' : ''}
        ORDER BY seq LIMIT $3`,
      opts.caseId ? [types, after, batch, opts.caseId] : [types, after, batch],
    )) as FileEntryRow[];
    for (const r of rows) {
      const spec = FILE_ENTRY_TYPES[r.type];
      const id = r.payload[spec.idField];
      const fileName =
        typeof r.payload.fileName === 'string' ? r.payload.fileName : typeof r.payload.number === 'string' ? r.payload.number : null;
      const base = { kind: spec.kind, id: String(id), caseId: r.case_id, fileName, seq: r.seq };
      if (typeof id !== 'string') {
        report({ ...base, problem: 'the entry names no file' });
        continue;
      }
      const actual = await hashStoredFile(q, id);
      checked++;
      if (actual.chunks === 0) report({ ...base, problem: 'the file is missing: no stored content' });
      else if (actual.sha256 !== r.payload.sha256)
        report({ ...base, problem: `the stored content hashes to ${actual.sha256}, the chain entry recorded ${String(r.payload.sha256)}` });
      else if (actual.sizeBytes !== Number(r.payload.sizeBytes))
        report({
          ...base,
          problem: `the stored content is ${actual.sizeBytes} bytes, the chain entry recorded ${String(r.payload.sizeBytes)}`,
        });
    }
    if (rows.length < batch) break;
    after = rows[rows.length - 1].seq;
  }
  // Evidence rows that no upload entry records (inserted around the API), or whose metadata was edited.
  const orphans = (await q(
    `SELECT e.id::text AS id, e.case_id::text AS case_id, e.file_name, e.chain_seq::text AS seq FROM evidence_files e
      WHERE ${opts.caseId ? 'e.case_id = $1 AND ' : ''}NOT EXISTS (
        SELECT 1 FROM audit_entries a WHERE a.seq = e.chain_seq AND a.type = 'EVIDENCE_UPLOADED' AND a.case_id = e.case_id
           AND a.payload->>'evidenceId' = e.id::text AND a.payload->>'sha256' = e.sha256 AND a.payload->>'fileName' = e.file_name)
      ORDER BY e.id LIMIT ${max + 1}`,
    opts.caseId ? [opts.caseId] : [],
  )) as { id: string; case_id: string; file_name: string; seq: string }[];
  for (const o of orphans) {
    report({
      kind: 'evidence',
      id: o.id,
      caseId: o.case_id,
      fileName: o.file_name,
      seq: o.seq,
      problem: 'the file record does not match any upload entry on its case chain',
    });
  }
  return { checked, broken, brokenCount };
}
