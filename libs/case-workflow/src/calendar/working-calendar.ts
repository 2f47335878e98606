import { DomainException, DomainErrorCode } from '../domain.exception';
import { DAY_MS, HOUR_MS } from './durations';

/** One year's calendar file (config/calendar/cn-<year>.yaml): days off and make-up working days. */
export interface CalendarYear {
  version: string;
  year: number;
  /** The published notice the file transcribes. */
  source: string;
  /** Days off (inclusive ranges of ISO dates). */
  holidays: { name: string; from: string; to: string }[];
  /** Weekend days worked instead (调休上班). */
  workdays: { date: string; name: string }[];
}

/** China Standard Time is UTC+8 all year (no daylight saving). */
const CST = 8 * HOUR_MS;
/** Working time on a working day for the queues' SLAs: 09:00–18:00 CST. */
const WORK_START = 9 * HOUR_MS;
const WORK_END = 18 * HOUR_MS;

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Days since 1970-01-01 of an ISO date (YYYY-MM-DD), or NaN. */
function dayIndex(iso: string): number {
  if (!ISO_DATE.test(iso)) return NaN;
  const t = Date.parse(`${iso}T00:00:00Z`);
  return Number.isNaN(t) || new Date(t).toISOString().slice(0, 10) !== iso ? NaN : t / DAY_MS;
}

const isoOf = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10);
const weekdayOf = (day: number) => new Date(day * DAY_MS).getUTCDay(); // 0 Sunday … 6 Saturday

/** The day (days since epoch) an instant falls on in China Standard Time. */
export function cstDay(instant: Date): number {
  return Math.floor((instant.getTime() + CST) / DAY_MS);
}

/** The close of a CST day: 23:59:59.999 China Standard Time, as a UTC instant. */
export function closeOfCstDay(day: number): Date {
  return new Date((day + 1) * DAY_MS - CST - 1);
}

export class CalendarFileError extends Error {}

/**
 * The working-day calendar (工作日历): Monday to Friday, less the State Council's public holidays, plus
 * the make-up working days. It knows only the years it was given: asking about a day outside them is
 * an error (DomainException RULE_VIOLATED, a 422), never a silent guess from weekdays or calendar days.
 */
export class WorkingCalendar {
  /** The versions of the year files, joined with `+`: recorded with every period counted on it. */
  readonly version: string;
  readonly firstYear: number;
  readonly lastYear: number;
  private readonly firstDay: number;
  private readonly lastDay: number;
  private readonly off = new Set<number>();
  private readonly worked = new Set<number>();

  constructor(private readonly years: CalendarYear[]) {
    if (years.length === 0) throw new CalendarFileError('No calendar year is configured (config/calendar/cn-<year>.yaml).');
    const sorted = [...years].sort((a, b) => a.year - b.year);
    sorted.forEach((y, i) => {
      if (i > 0 && y.year !== sorted[i - 1].year + 1) {
        throw new CalendarFileError(`Calendar years must follow each other without a gap: ${sorted[i - 1].year} is followed by ${y.year}.`);
      }
      this.addYear(y);
    });
    this.version = sorted.map((y) => y.version).join('+');
    this.firstYear = sorted[0].year;
    this.lastYear = sorted[sorted.length - 1].year;
    this.firstDay = dayIndex(`${this.firstYear}-01-01`);
    this.lastDay = dayIndex(`${this.lastYear}-12-31`);
  }

  private addYear(y: CalendarYear): void {
    const inYear = (iso: string, what: string): number => {
      const d = dayIndex(iso);
      if (Number.isNaN(d)) throw new CalendarFileError(`Calendar ${y.version}: ${what} "${iso}" is not a date (YYYY-MM-DD).`);
      if (!iso.startsWith(`${y.year}-`)) throw new CalendarFileError(`Calendar ${y.version}: ${what} ${iso} is not in ${y.year}.`);
      return d;
    };
    for (const h of y.holidays) {
      const from = inYear(h.from, `holiday ${h.name} start`);
      const to = inYear(h.to, `holiday ${h.name} end`);
      if (to < from) throw new CalendarFileError(`Calendar ${y.version}: holiday ${h.name} ends (${h.to}) before it starts (${h.from}).`);
      for (let d = from; d <= to; d++) this.off.add(d);
    }
    for (const w of y.workdays) {
      const d = inYear(w.date, `make-up working day ${w.name}`);
      const wd = weekdayOf(d);
      if (wd !== 0 && wd !== 6) {
        throw new CalendarFileError(`Calendar ${y.version}: make-up working day ${w.date} is not a Saturday or Sunday.`);
      }
      if (this.off.has(d)) throw new CalendarFileError(`Calendar ${y.version}: ${w.date} is both a holiday and a make-up working day.`);
      this.worked.add(d);
    }
  }

  private provisional?: WorkingCalendar;

  /**
   * This calendar followed by two provisional years (Monday to Friday less the statutory fixed-date
   * holidays: 1 January, 1–2 May, 1–3 October; no lunar holidays, no make-up days), for internal due
   * times only — the review queues' SLAs — so that work is not refused in the weeks before next
   * year's State Council notice is added. Legal periods (notice, hearing, appeal) never use it.
   */
  provisionallyExtended(): WorkingCalendar {
    if (!this.provisional) {
      const extra = [1, 2].map((k): CalendarYear => {
        const year = this.lastYear + k;
        return {
          version: `provisional-${year}`,
          year,
          source: 'No published calendar: weekdays less the fixed-date statutory holidays (全国年节及纪念日放假办法)',
          holidays: [
            { name: '元旦', from: `${year}-01-01`, to: `${year}-01-01` },
            { name: '劳动节', from: `${year}-05-01`, to: `${year}-05-02` },
            { name: '国庆节', from: `${year}-10-01`, to: `${year}-10-03` },
          ],
          workdays: [],
        };
      });
      this.provisional = new WorkingCalendar([...this.years, ...extra]);
    }
    return this.provisional;
  }

  /** Whether a CST day falls inside the years this calendar covers. */
  covers(day: number): boolean {
    return day >= this.firstDay && day <= this.lastDay;
  }

  /** The last day covered, as an ISO date. */
  get lastCoveredDate(): string {
    return isoOf(this.lastDay);
  }

  private requireCovered(day: number, purpose: string): void {
    if (this.covers(day)) return;
    const missing = day > this.lastDay ? this.lastYear + 1 : this.firstYear - 1;
    const year = Number(isoOf(day).slice(0, 4));
    throw new DomainException(
      DomainErrorCode.RuleViolated,
      `The ${purpose} would run into ${year}, but the working-day calendar covers ${this.firstYear}–${this.lastYear} only (${this.version}). ` +
        `Add config/calendar/cn-${missing}.yaml from the State Council's holiday notice for ${missing} and restart; periods are never counted without it.`,
      { calendarVersion: this.version, calendarCovers: [this.firstYear, this.lastYear], dayNeeded: isoOf(day) },
    );
  }

  /** Whether a covered CST day is a working day (throws outside the covered years). */
  isWorkingDay(day: number, purpose = 'period'): boolean {
    this.requireCovered(day, purpose);
    if (this.worked.has(day)) return true;
    if (this.off.has(day)) return false;
    const wd = weekdayOf(day);
    return wd !== 0 && wd !== 6;
  }

  /**
   * The end of a period of `n` working days that starts on the working day after `from` (China
   * Standard Time): the close (23:59:59.999 CST) of the n-th working day. A period of 0 days ends at
   * `from`. A 5-day notice published on Tuesday 29 September 2026 ends at the close of Monday 12
   * October (30 Sep, 8, 9, the make-up Saturday 10, and 12 Oct).
   */
  addWorkingDays(from: Date, n: number, purpose = 'period'): Date {
    if (!Number.isInteger(n) || n < 0) throw new RangeError(`A working-day period must be a whole number of days, not ${n}.`);
    if (n === 0) return from;
    let day = cstDay(from);
    for (let counted = 0; counted < n;) {
      day++;
      if (this.isWorkingDay(day, purpose)) counted++;
    }
    return closeOfCstDay(day);
  }

  /** The first instant at or after a CST-local time that lies in working time (09:00–18:00 of a working day). */
  private nextWorkingMoment(local: number, purpose: string): number {
    for (;;) {
      const day = Math.floor(local / DAY_MS);
      const inDay = local - day * DAY_MS;
      if (!this.isWorkingDay(day, purpose) || inDay >= WORK_END) local = (day + 1) * DAY_MS + WORK_START;
      else if (inDay < WORK_START) return day * DAY_MS + WORK_START;
      else return local;
    }
  }

  /** The instant `hours` working hours (09:00–18:00 CST on working days) after `from`. */
  addWorkingHours(from: Date, hours: number, purpose = 'due time'): Date {
    let local = this.nextWorkingMoment(from.getTime() + CST, purpose);
    let remaining = Math.round(hours * HOUR_MS);
    while (remaining > 0) {
      const day = Math.floor(local / DAY_MS);
      const left = day * DAY_MS + WORK_END - local;
      if (remaining <= left) {
        local += remaining;
        remaining = 0;
      } else {
        remaining -= left;
        local = this.nextWorkingMoment((day + 1) * DAY_MS + WORK_START, purpose);
      }
    }
    return new Date(local - CST);
  }

  /**
   * A start-up warning when the calendar ends within `horizonDays` of `now` (or has already ended):
   * legal periods reaching past it will be refused until next year's file is added.
   */
  coverageWarning(now: Date, horizonDays: number): string | null {
    const today = cstDay(now);
    if (today + horizonDays <= this.lastDay) return null;
    const next = this.lastYear + 1;
    return (
      `The working-day calendar covers ${this.firstYear}–${this.lastYear} only (${this.version}), ending ${this.lastCoveredDate}: ` +
      `notice, hearing and appeal periods that reach into ${next} will be refused, and queue due times there are provisional. ` +
      `Add config/calendar/cn-${next}.yaml from the State Council's holiday notice for ${next} (published each November) and restart.`
    );
  }
}
