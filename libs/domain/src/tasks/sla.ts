import { DAY_MS, type SlaRule, type WorkingCalendar } from '@app/case-workflow';

/** The due time of a queue without a rule of its own: one working week. */
const DEFAULT_WORKING_HOURS = 40;

/**
 * When a task opened at `from` in a queue with this rule is due: working hours (09:00–18:00 China
 * Standard Time on the calendar's working days, holidays and make-up days included) or calendar days.
 * A due time past the calendar's last year is counted on its provisional extension (weekdays less the
 * fixed-date statutory holidays) rather than refusing the event that opens the task: the start-up
 * warning asks for next year's file. Legal periods (notice, hearing, appeal) stay strict.
 */
export function dueAt(from: Date, rule: SlaRule | undefined, calendar: WorkingCalendar): Date {
  if (rule?.calendarDays !== undefined) return new Date(from.getTime() + rule.calendarDays * DAY_MS);
  return calendar.provisionallyExtended().addWorkingHours(from, rule?.workingHours ?? DEFAULT_WORKING_HOURS, 'review queue due time');
}
