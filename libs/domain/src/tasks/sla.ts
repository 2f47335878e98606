import type { SlaRule } from '@app/case-workflow';

const HOUR = 3600_000;
const DAY = 24 * HOUR;
/** Working time: Monday–Friday, 09:00–18:00 China Standard Time (UTC+8, no daylight saving). */
const OFFSET = 8 * HOUR;
const START = 9 * HOUR;
const END = 18 * HOUR;

/** Moves a local (UTC+8) instant to the next moment inside working time. */
function nextWorkingMoment(local: number): number {
  for (;;) {
    const dayStart = Math.floor(local / DAY) * DAY;
    const weekday = new Date(dayStart).getUTCDay(); // 0 Sunday … 6 Saturday
    const inDay = local - dayStart;
    if (weekday === 0 || weekday === 6 || inDay >= END) local = dayStart + DAY + START;
    else if (inDay < START) return dayStart + START;
    else return local;
  }
}

/** The instant `hours` working hours after `from`. Public holidays are not modelled. */
export function addWorkingHours(from: Date, hours: number): Date {
  let local = nextWorkingMoment(from.getTime() + OFFSET);
  let remaining = Math.round(hours * HOUR);
  while (remaining > 0) {
    const dayStart = Math.floor(local / DAY) * DAY;
    const left = dayStart + END - local;
    if (remaining <= left) {
      local += remaining;
      remaining = 0;
    } else {
      remaining -= left;
      local = nextWorkingMoment(dayStart + DAY + START);
    }
  }
  return new Date(local - OFFSET);
}

/** When a task opened at `from` in a queue with this rule is due. */
export function dueAt(from: Date, rule: SlaRule | undefined): Date {
  if (!rule) return addWorkingHours(from, 40);
  if (rule.calendarDays !== undefined) return new Date(from.getTime() + rule.calendarDays * DAY);
  return addWorkingHours(from, rule.workingHours ?? 40);
}
