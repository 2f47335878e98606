/**
 * What an issued document says, as data: the renderer draws it, its canonical JSON is hashed. Built
 * from the record alone (document-facts.ts); nothing in it is typed in by the issuer.
 */
export const DOCUMENT_KINDS = ['committee_resolution', 'exemption_determination', 'public_notice', 'fund_evaluation'] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];
export const CASE_DOCUMENT_KINDS = ['committee_resolution', 'exemption_determination', 'public_notice'] as const;

/** Title and the word in the number (〔2026〕投决第7号) of each kind. */
export const KIND_INFO: Record<DocumentKind, { titleZh: string; titleEn: string; numberWord: string }> = {
  committee_resolution: { titleZh: '投资决策委员会决议', titleEn: 'Investment committee resolution', numberWord: '投决' },
  exemption_determination: { titleZh: '尽职免责认定书', titleEn: 'Due-diligence exemption determination', numberWord: '免责认定' },
  public_notice: { titleZh: '尽职免责认定结果公示', titleEn: 'Public notice of the exemption determination', numberWord: '免责公示' },
  fund_evaluation: { titleZh: '基金全生命周期绩效评价报告', titleEn: 'Fund whole-life performance evaluation', numberWord: '基金评价' },
};

export interface DocumentTable {
  columns: { title: string; width: number }[];
  rows: string[][];
}

export interface DocumentSection {
  heading: string;
  paragraphs: string[];
  table?: DocumentTable;
}

/** The facts a document states: equal facts (by their canonical JSON's SHA-256) mean the same document. */
export interface DocumentFacts {
  kind: DocumentKind;
  caseId: string | null;
  fundId: string | null;
  /** Whom the document concerns, for its heading (the company, or the fund). */
  subject: string;
  sections: DocumentSection[];
  /** The English summary page. */
  summaryEn: string[];
}

/** The document's content: the facts with its number and date (hashed into `contentSha256`). */
export interface DocumentContent extends DocumentFacts {
  number: string;
  issuedAt: string;
  /** The issue date as printed (China Standard Time): 2026年12月1日. */
  dateZh: string;
}

/** The verification block, printed after the content (and so not part of what `contentSha256` covers). */
export interface VerificationBlock {
  documentId: string;
  number: string;
  caseId: string | null;
  fundId: string | null;
  chainHeadHash: string;
  chainSeq: string;
  contentSha256: string;
}

/** What the QR code and the PDF's metadata carry: one ASCII line. */
export function verificationLine(v: VerificationBlock): string {
  return [
    'PCW-DOC/1',
    `id=${v.documentId}`,
    v.caseId ? `case=${v.caseId}` : `fund=${v.fundId}`,
    `seq=${v.chainSeq}`,
    `head=${v.chainHeadHash}`,
    `sha256=${v.contentSha256}`,
  ].join(' ');
}

/** The embedded document id of a PDF this system issued, found in its metadata, or null. */
export function embeddedDocumentId(pdf: Buffer): string | null {
  const m = /PCW-DOC\/1 id=([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})/.exec(pdf.toString('latin1'));
  return m ? m[1] : null;
}

const CST_OFFSET_MS = 8 * 3600 * 1000;

/** The year and the printed date of an instant in China Standard Time (UTC+8). */
export function chinaDate(iso: string): { year: number; dateZh: string } {
  const d = new Date(Date.parse(iso) + CST_OFFSET_MS);
  return { year: d.getUTCFullYear(), dateZh: `${d.getUTCFullYear()}年${d.getUTCMonth() + 1}月${d.getUTCDate()}日` };
}

export function documentNumber(kind: DocumentKind, year: number, serial: number): string {
  return `〔${year}〕${KIND_INFO[kind].numberWord}第${serial}号`;
}

/** Integer fen as 人民币 yuan with two decimals and thousands separators. */
export function yuan(fen: number): string {
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(fen);
  const whole = Math.floor(abs / 100)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${sign}${whole}.${String(abs % 100).padStart(2, '0')} 元`;
}

export const percent = (rate: number) => `${(rate * 100).toFixed(2)}%`;
