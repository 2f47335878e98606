import type { Queryable } from './audit-chain.reader';

/** What checking a PDF against the issued documents finds. */
export interface DocumentCheck {
  /** The PDF is (or claims to be, by its embedded id) a document this system issued. */
  issued: boolean;
  /** Its bytes are exactly those issued (their SHA-256 is the one on the chain). */
  unchanged: boolean;
  documentId?: string;
  number?: string;
  kind?: string;
  caseId?: string | null;
  fundId?: string | null;
  issuedAt?: string;
  /** Workflow events were recorded on the case (or on the fund's cases) after the document was issued. */
  recordMovedOn?: boolean;
  /** A newer document of the same kind was issued for the same case or fund. */
  supersededBy?: string;
}

interface Row {
  id: string;
  kind: string;
  case_id: string | null;
  fund_id: string | null;
  number: string;
  issue_seq: string;
  issued_at: Date;
  entry_sha256: string | null;
}

const DOC = `SELECT d.id::text AS id, d.kind, d.case_id::text AS case_id, d.fund_id::text AS fund_id, d.number, d.issue_seq::text AS issue_seq, d.issued_at,
    (SELECT a.payload->>'sha256' FROM audit_entries a WHERE a.seq = d.issue_seq AND a.type = 'DOCUMENT_ISSUED' AND a.payload->>'documentId' = d.id::text) AS entry_sha256
  FROM issued_documents d`;

/**
 * Checks a PDF by its SHA-256 and the document id embedded in it: issued by this system, unchanged
 * (the file's hash is the one the DOCUMENT_ISSUED chain entry recorded), and whether the record has
 * moved on since (any of `eventTypes` recorded after the issue). A plain query function, so the API
 * and `npm run document:verify` share it.
 */
export async function checkIssuedDocument(
  q: Queryable,
  sha256: string,
  embeddedId: string | null,
  eventTypes: readonly string[],
): Promise<DocumentCheck> {
  let rows = (await q(`${DOC} WHERE d.sha256 = $1 ORDER BY d.issued_at LIMIT 1`, [sha256])) as Row[];
  let exact = rows.length > 0;
  if (!exact && embeddedId) {
    rows = (await q(`${DOC} WHERE d.id = $1`, [embeddedId])) as Row[];
    exact = false;
  }
  const d = rows[0];
  if (!d) return { issued: false, unchanged: false };
  const unchanged = exact && d.entry_sha256 === sha256;
  const moved = (await q(
    d.case_id
      ? `SELECT EXISTS (SELECT 1 FROM audit_entries WHERE case_id = $1 AND seq > $2::bigint AND type = ANY($3::varchar[])) AS moved`
      : `SELECT EXISTS (SELECT 1 FROM audit_entries a JOIN cases c ON c.id = a.case_id
           WHERE c.fund_id = $1 AND a.at > (SELECT issued_at FROM issued_documents WHERE id = $4) AND a.type = ANY($3::varchar[])) AS moved`,
    d.case_id ? [d.case_id, d.issue_seq, eventTypes] : [d.fund_id, d.issue_seq, eventTypes, d.id],
  )) as { moved: boolean }[];
  const newer = (await q(
    `SELECT id::text AS id FROM issued_documents WHERE kind = $1 AND ${d.case_id ? 'case_id' : 'fund_id'} = $2 AND issued_at > $3 ORDER BY issued_at DESC LIMIT 1`,
    [d.kind, d.case_id ?? d.fund_id, d.issued_at],
  )) as { id: string }[];
  return {
    issued: true,
    unchanged,
    documentId: d.id,
    number: d.number,
    kind: d.kind,
    caseId: d.case_id,
    fundId: d.fund_id,
    issuedAt: d.issued_at.toISOString(),
    recordMovedOn: moved[0].moved,
    ...(newer[0] ? { supersededBy: newer[0].id } : {}),
  };
}
