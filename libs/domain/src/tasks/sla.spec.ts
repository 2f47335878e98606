import { WorkingCalendar } from '@app/case-workflow';
import { loadPolicies } from '../../../config/src/policies';
import { dueAt } from './sla';

const { calendar } = loadPolicies();
const cst = (local: string) => new Date(`${local}+08:00`);

describe('queue due times (SLA) on the working-day calendar', () => {
  it('skips the National Day holiday and counts the make-up Saturday', () => {
    // Wednesday 30 September 16:00 CST + 16 working hours: 2 h, then 8 October (9 h), 9 October 09:00–14:00.
    expect(dueAt(cst('2026-09-30T16:00:00'), { workingHours: 16 }, calendar).toISOString()).toBe(cst('2026-10-09T14:00:00').toISOString());
    // Friday 9 October 16:00 + 4 h: 2 h, then the make-up Saturday 10 October 09:00–11:00.
    expect(dueAt(cst('2026-10-09T16:00:00'), { workingHours: 4 }, calendar).toISOString()).toBe(cst('2026-10-10T11:00:00').toISOString());
  });

  it('keeps calendar-day rules in calendar days, and a queue without a rule gets 40 working hours', () => {
    expect(dueAt(cst('2026-09-30T16:00:00'), { calendarDays: 2 }, calendar).toISOString()).toBe(cst('2026-10-02T16:00:00').toISOString());
    expect(dueAt(cst('2026-09-30T16:00:00'), undefined, calendar).toISOString()).toBe(cst('2026-10-13T11:00:00').toISOString());
  });

  it('counts a due time past the calendar on its provisional extension, never refusing the event', () => {
    // Wednesday 30 December 10:00 + 40 h: 8 h on the 30th, 9 h on the 31st, 1 January 2027 is off
    // (fixed-date statutory holiday), Monday 4 January 9 h, Tuesday 5th 9 h, Wednesday 6th 09:00–14:00.
    expect(dueAt(cst('2026-12-30T10:00:00'), { workingHours: 40 }, calendar).toISOString()).toBe(cst('2027-01-06T14:00:00').toISOString());
    // Legal periods stay strict: the calendar itself still refuses 2027.
    expect(() => calendar.addWorkingDays(cst('2026-12-30T10:00:00'), 5, 'public notice')).toThrow(/cn-2027\.yaml/);
    const withNextYear = new WorkingCalendar([
      { version: 'a', year: 2026, source: 's', holidays: [], workdays: [] },
      { version: 'b', year: 2027, source: 's', holidays: [], workdays: [] },
    ]);
    expect(dueAt(cst('2026-12-30T10:00:00'), { workingHours: 40 }, withNextYear).toISOString()).toBe(
      cst('2027-01-05T14:00:00').toISOString(),
    );
  });
});
