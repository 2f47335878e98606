/**
 * Money and time, formatted in one place. Money travels as integer fen (1 元 = 100 fen,
 * 1 万元 = 1,000,000 fen); the console shows and takes 元 or 万元. Times travel as UTC ISO strings and
 * are shown in China Standard Time (UTC+8, no daylight saving).
 */
export const FEN_PER_YUAN = 100;
export const FEN_PER_WAN = 1_000_000;
const CST_OFFSET_MS = 8 * 3_600_000;

export type Lang = 'zh-CN' | 'en';

/** Chinese: 123456789 fen → "123.46 万元" (元 below 1 万元); English: "CNY 1,234,567.89". */
export function formatMoney(fen: number | null | undefined, lang: Lang): string {
  if (fen === null || fen === undefined) return '—';
  if (lang === 'zh-CN' && Math.abs(fen) >= FEN_PER_WAN) {
    return `${(fen / FEN_PER_WAN).toLocaleString('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 })} 万元`;
  }
  const yuan = (fen / FEN_PER_YUAN).toLocaleString(lang, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  return lang === 'en' ? `CNY ${yuan}` : `${yuan} 元`;
}

/**
 * A decimal amount typed in 元 or 万元 ("12.5") → integer fen, exactly (no floating point on the
 * way). Null when it is not a number with at most the digits a fen can carry.
 */
export function toFen(text: string | number | null | undefined, unit: 'yuan' | 'wan'): number | null {
  if (text === null || text === undefined || text === '') return null;
  const s = String(text).trim();
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(s);
  if (!m) return null;
  const scale = unit === 'wan' ? 6 : 2;
  const frac = (m[3] ?? '').replace(/0+$/, '');
  if (frac.length > scale) return null;
  const fen = Number(m[2] + frac.padEnd(scale, '0'));
  if (!Number.isSafeInteger(fen)) return null;
  return m[1] === '-' ? -fen : fen;
}

/** Integer fen → the decimal text of that amount in 元 or 万元 ("12.5"). */
export function fromFen(fen: number, unit: 'yuan' | 'wan'): string {
  const scale = unit === 'wan' ? 6 : 2;
  const neg = fen < 0;
  const digits = String(Math.abs(fen)).padStart(scale + 1, '0');
  const int = digits.slice(0, digits.length - scale);
  const frac = digits.slice(digits.length - scale).replace(/0+$/, '');
  return `${neg ? '-' : ''}${int}${frac ? `.${frac}` : ''}`;
}

function cstParts(iso: string | Date) {
  const d = new Date(typeof iso === 'string' ? Date.parse(iso) + CST_OFFSET_MS : iso.getTime() + CST_OFFSET_MS);
  const p = (n: number) => String(n).padStart(2, '0');
  return {
    date: `${d.getUTCFullYear()}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())}`,
    time: `${p(d.getUTCHours())}:${p(d.getUTCMinutes())}`,
    seconds: p(d.getUTCSeconds()),
  };
}

/** Evidence named by the user (title and reference), as one line: 报告（REF-1）；合同（C-2）, or — for none. */
export function formatEvidenceRefs(list: readonly { title: string; ref: string }[]): string {
  return list.length ? list.map((e) => `${e.title}（${e.ref}）`).join('；') : '—';
}

/** "2026-01-31 16:00" in China Standard Time. */
export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const { date, time } = cstParts(iso);
  return `${date} ${time}`;
}

export function formatDate(iso: string | null | undefined): string {
  return iso ? cstParts(iso).date : '—';
}

/** The wall-clock fields of a time in China Standard Time → the UTC ISO instant. */
export function cstToIso(year: number, month: number, day: number, hour = 0, minute = 0, second = 0): string {
  return new Date(Date.UTC(year, month - 1, day, hour, minute, second) - CST_OFFSET_MS).toISOString();
}

/** An ISO instant → its wall-clock fields in China Standard Time (for pickers). */
export function isoToCst(iso: string): { year: number; month: number; day: number; hour: number; minute: number; second: number } {
  const d = new Date(Date.parse(iso) + CST_OFFSET_MS);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
  };
}

/** Time left until `dueIso` as "2天 3小时" / "2d 3h"; negative when past. */
export function countdown(dueIso: string, now: number, lang: Lang): { text: string; overdue: boolean } {
  const ms = Date.parse(dueIso) - now;
  const overdue = ms < 0;
  let rest = Math.floor(Math.abs(ms) / 60_000);
  const days = Math.floor(rest / 1440);
  rest -= days * 1440;
  const hours = Math.floor(rest / 60);
  const minutes = rest - hours * 60;
  const zh = lang === 'zh-CN';
  const parts: string[] = [];
  if (days) parts.push(zh ? `${days}天` : `${days}d`);
  if (hours || days) parts.push(zh ? `${hours}小时` : `${hours}h`);
  if (!days) parts.push(zh ? `${minutes}分` : `${minutes}m`);
  const span = parts.join(' ');
  return { overdue, text: overdue ? (zh ? `已逾期 ${span}` : `${span} overdue`) : zh ? `剩余 ${span}` : `${span} left` };
}

export function shortId(id: string | null | undefined): string {
  return id ? id.slice(0, 8) : '—';
}
