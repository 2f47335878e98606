import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { DomainException } from '../domain.exception';
import { CalendarFileError, WorkingCalendar, type CalendarYear } from './working-calendar';

/** The shipped 2026 file: the State Council's schedule as DOMAIN.md transcribes it. */
const cn2026 = parse(readFileSync(join(__dirname, '../../../../config/calendar/cn-2026.yaml'), 'utf8')) as CalendarYear;
const calendar = new WorkingCalendar([cn2026]);

/** A Beijing-time instant. */
const cst = (local: string) => new Date(`${local}+08:00`);
const closeOf = (date: string) => cst(`${date}T23:59:59.999`).toISOString();

describe('working-day calendar (cn-2026)', () => {
  it('a 5-working-day notice published Tuesday 29 September ends at the close of Monday 12 October (National Day, make-up Saturday 10 Oct)', () => {
    expect(calendar.addWorkingDays(cst('2026-09-29T15:00:00'), 5).toISOString()).toBe(closeOf('2026-10-12'));
  });

  it('a 5-working-day notice published Friday 13 February ends at the close of Friday 27 February (make-up Saturday 14 counts, 15–23 do not)', () => {
    expect(calendar.addWorkingDays(cst('2026-02-13T10:00:00'), 5).toISOString()).toBe(closeOf('2026-02-27'));
  });

  it('counts from the next working day, whatever the hour of publication (CST, not UTC)', () => {
    // 2026-03-02 is a Monday; 01:00 CST is still Sunday 1 March in UTC.
    expect(calendar.addWorkingDays(cst('2026-03-02T01:00:00'), 1).toISOString()).toBe(closeOf('2026-03-03'));
    expect(calendar.addWorkingDays(cst('2026-03-02T23:30:00'), 1).toISOString()).toBe(closeOf('2026-03-03'));
    // Published on a Saturday: the next working day is Monday.
    expect(calendar.addWorkingDays(cst('2026-03-07T12:00:00'), 1).toISOString()).toBe(closeOf('2026-03-09'));
  });

  it('knows the holidays and the make-up days', () => {
    const day = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / 86_400_000;
    expect(calendar.isWorkingDay(day('2026-01-01'))).toBe(false);
    expect(calendar.isWorkingDay(day('2026-01-04'))).toBe(true); // Sunday worked
    expect(calendar.isWorkingDay(day('2026-05-05'))).toBe(false); // Tuesday off
    expect(calendar.isWorkingDay(day('2026-05-09'))).toBe(true); // Saturday worked
    expect(calendar.isWorkingDay(day('2026-06-19'))).toBe(false);
    expect(calendar.isWorkingDay(day('2026-09-20'))).toBe(true);
    expect(calendar.isWorkingDay(day('2026-12-05'))).toBe(false); // an ordinary Saturday
  });

  it('a period of 0 days ends when it starts', () => {
    const at = cst('2026-06-01T10:00:00');
    expect(calendar.addWorkingDays(at, 0)).toEqual(at);
  });

  it('refuses a period that runs past the last covered year, with the file to add (never a calendar-day fallback)', () => {
    // Published Monday 28 December 2026: 29, 30, 31 December, then 2027 is unknown.
    let err: unknown;
    try {
      calendar.addWorkingDays(cst('2026-12-28T10:00:00'), 5, 'public notice period');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(DomainException);
    expect((err as DomainException).code).toBe('RULE_VIOLATED');
    expect((err as Error).message).toMatch(/public notice period would run into 2027.*cn-2027\.yaml/);
    // Three working days still fit.
    expect(calendar.addWorkingDays(cst('2026-12-28T10:00:00'), 3).toISOString()).toBe(closeOf('2026-12-31'));
  });

  it('working hours skip nights, weekends and holidays and count make-up days', () => {
    // Wednesday 30 September 17:00 CST + 2 working hours: 1 h that day, then 1 October–7 October off, then Thursday 8 Oct 10:00.
    expect(calendar.addWorkingHours(cst('2026-09-30T17:00:00'), 2).toISOString()).toBe(cst('2026-10-08T10:00:00').toISOString());
    // Friday 9 October 17:00 + 2 h: the make-up Saturday 10 October counts.
    expect(calendar.addWorkingHours(cst('2026-10-09T17:00:00'), 2).toISOString()).toBe(cst('2026-10-10T10:00:00').toISOString());
    // Friday 13 February 17:00 + 10 h: 1 h, the make-up Saturday 14 (9 h) → 18:00 Saturday.
    expect(calendar.addWorkingHours(cst('2026-02-13T17:00:00'), 10).toISOString()).toBe(cst('2026-02-14T18:00:00').toISOString());
    expect(() => calendar.addWorkingHours(cst('2026-12-31T17:00:00'), 2)).toThrow(/cn-2027\.yaml/);
  });

  it('warns at start-up when the calendar ends within the horizon', () => {
    expect(calendar.coverageWarning(cst('2026-06-01T00:00:00'), 60)).toBeNull();
    expect(calendar.coverageWarning(cst('2026-12-01T00:00:00'), 60)).toMatch(/covers 2026–2026 only.*cn-2027\.yaml/);
  });

  it('rejects malformed files: a gap between years, a make-up day on a weekday, a date outside its year', () => {
    const y2028: CalendarYear = { version: 'x', year: 2028, source: 's', holidays: [], workdays: [] };
    expect(() => new WorkingCalendar([cn2026, y2028])).toThrow(CalendarFileError);
    expect(() => new WorkingCalendar([{ ...cn2026, workdays: [{ date: '2026-03-03', name: 'Tue' }] }])).toThrow(/not a Saturday or Sunday/);
    expect(() => new WorkingCalendar([{ ...cn2026, holidays: [{ name: 'x', from: '2025-12-31', to: '2026-01-01' }] }])).toThrow(
      /not in 2026/,
    );
    expect(() => new WorkingCalendar([{ ...cn2026, holidays: [{ name: 'x', from: '2026-02-30', to: '2026-03-01' }] }])).toThrow(
      /not a date/,
    );
    expect(() => new WorkingCalendar([])).toThrow(CalendarFileError);
  });

  it('joins the versions of consecutive years', () => {
    const y2027: CalendarYear = { version: 'cn-2027.test', year: 2027, source: 's', holidays: [], workdays: [] };
    const two = new WorkingCalendar([y2027, cn2026]);
    expect(two.version).toBe('cn-2026.1+cn-2027.test');
    expect(two.addWorkingDays(cst('2026-12-28T10:00:00'), 5).toISOString()).toBe(closeOf('2027-01-04'));
  });
});
