/**
 * A clock for tests whose periods count working days: the API process (CLOCK_OFFSET_MS) and this
 * process's `Date.now()` (the drivers' business dates) both run from `startIso`, whatever the real
 * date, so that a hearing, notice or appeal period never runs past the calendar's last covered year
 * (config/calendar has 2026 only). `new Date()` without arguments is not shifted: use `Date.now()`.
 */
export function calendarClock(startIso = '2026-06-01T02:00:00.000Z') {
  const realNow = Date.now;
  const offset = Date.parse(startIso) - realNow();
  return {
    offset,
    env: { CLOCK_OFFSET_MS: String(offset) },
    install(): void {
      Date.now = () => realNow() + offset;
    },
    uninstall(): void {
      Date.now = realNow;
    },
  };
}
