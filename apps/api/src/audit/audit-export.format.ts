import { canonicalJson, type AuditEntry } from '@app/audit';

/** How an export file begins, writes each entry, and ends. */
export interface ExportFormatter {
  contentType: string;
  extension: string;
  head(meta: { caseId: string | null; exportedAt: string }): string;
  entry(e: AuditEntry, index: number): string;
  tail(count: number): string;
}

export const CSV_COLUMNS = [
  'seq',
  'at',
  'actorId',
  'actorRoles',
  'caseId',
  'type',
  'fromState',
  'toState',
  'reason',
  'payload',
  'prevHash',
  'hash',
] as const;

/**
 * A value a spreadsheet could run as a formula: `= + - @` first, also behind leading white space of
 * any kind (space, NBSP, zero-width space, BOM, line breaks), or a tab, CR or LF first.
 */
const FORMULA = /^[\s\u200B-\u200D\u2060\uFEFF]*[=+\-@\uFF1D\uFF0B\uFF0D\uFF20]|^[\t\r\n]/;

/**
 * RFC 4180 field: quoted when it holds a comma, quote or line break. Free text that a spreadsheet
 * would run as a formula gets a leading apostrophe.
 */
export function csvField(value: string | null): string {
  if (value === null) return '';
  const safe = FORMULA.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** One line per entry; actorRoles and payload as canonical JSON; UTF-8 with a BOM so spreadsheets read Chinese text. */
export const CSV: ExportFormatter = {
  contentType: 'text/csv; charset=utf-8',
  extension: 'csv',
  head: () => `\uFEFF${CSV_COLUMNS.join(',')}\r\n`,
  entry: (e) =>
    `${[
      e.seq,
      e.at,
      e.actorId,
      canonicalJson(e.actorRoles),
      e.caseId,
      e.type,
      e.fromState,
      e.toState,
      e.reason,
      canonicalJson(e.payload),
      e.prevHash,
      e.hash,
    ]
      .map(csvField)
      .join(',')}\r\n`,
  tail: () => '',
};

/** `{ format, exportedAt, caseId, entries: [...], count }`, entries exactly as the API returns them. */
export const JSON_FORMAT: ExportFormatter = {
  contentType: 'application/json; charset=utf-8',
  extension: 'json',
  head: (m) =>
    `{"format":"patient-capital-workflow/audit-export@1","exportedAt":${JSON.stringify(m.exportedAt)},"caseId":${JSON.stringify(m.caseId)},"entries":[\n`,
  entry: (e, i) => `${i === 0 ? '' : ',\n'}${JSON.stringify(e)}`,
  tail: (count) => `\n],"count":${count}}\n`,
};
