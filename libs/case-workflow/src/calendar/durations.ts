/** Calendar-day arithmetic on instants (periods counted in working days use the WorkingCalendar instead). */
export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;

/** The instant `days` calendar days (24 h each) after `iso`, as ISO-8601 UTC. */
export const addDays = (iso: string, days: number): string => new Date(Date.parse(iso) + days * DAY_MS).toISOString();
