/**
 * Failed-login throttling, pure: what one key (an account or a source address) allows now, and how
 * an attempt changes it. The state lives in PostgreSQL (`login_throttle`, one row per key, locked
 * while it is read and written), so every API process applies the same counts.
 *
 * - After `freeFailures` failures, each further attempt waits `delayBaseMs`, doubling every
 *   `growthEvery` failures (capped at the lock time), counted from the last failure.
 * - At `lockAfter` failures the key is locked for `lockMs` (the caller audits it).
 * - Failures older than `lockMs` are forgotten; a success clears an account's failures.
 * - Once a key has failures, at most `maxPending` of its attempts are checked at once (the password
 *   hash is expensive), so parallel guesses cannot all get through before the first ones fail; a key
 *   without failures (a person's parallel logins) may have `maxPendingClean`.
 */
export interface ThrottleState {
  failures: number;
  lastFailureAt: number | null;
  lockedUntil: number | null;
  pending: number;
  pendingSince: number | null;
}

export interface ThrottleRule {
  freeFailures: number;
  growthEvery: number;
  lockAfter: number;
  delayBaseMs: number;
  lockMs: number;
  maxPending: number;
  maxPendingClean: number;
}

/** A pending attempt not settled within this long was lost with its process: it no longer counts. */
export const PENDING_STALE_MS = 30_000;

export const EMPTY_THROTTLE: ThrottleState = { failures: 0, lastFailureAt: null, lockedUntil: null, pending: 0, pendingSince: null };

/** The state with what has lapsed by `now` forgotten. */
export function current(s: ThrottleState, now: number, rule: ThrottleRule): ThrottleState {
  const locked = s.lockedUntil !== null && s.lockedUntil > now;
  const forgotten = !locked && s.lastFailureAt !== null && now - s.lastFailureAt > rule.lockMs;
  const stale = s.pendingSince === null || now - s.pendingSince > PENDING_STALE_MS;
  return {
    failures: forgotten ? 0 : s.failures,
    lastFailureAt: forgotten ? null : s.lastFailureAt,
    lockedUntil: locked ? s.lockedUntil : null,
    pending: stale ? 0 : s.pending,
    pendingSince: stale ? null : s.pendingSince,
  };
}

/** How long the key must wait before an attempt: 0 = it may try now. */
export function waitMs(state: ThrottleState, now: number, rule: ThrottleRule): { ms: number; why: 'locked' | 'delay' | 'busy' | null } {
  const s = current(state, now, rule);
  if (s.lockedUntil !== null) return { ms: s.lockedUntil - now, why: 'locked' };
  if (s.pending >= (s.failures > 0 ? rule.maxPending : rule.maxPendingClean)) return { ms: 1000, why: 'busy' };
  if (s.failures < rule.freeFailures || rule.delayBaseMs === 0 || s.lastFailureAt === null) return { ms: 0, why: null };
  const steps = Math.floor((s.failures - rule.freeFailures) / rule.growthEvery);
  const delay = Math.min(rule.delayBaseMs * 2 ** Math.min(steps, 30), rule.lockMs);
  const left = s.lastFailureAt + delay - now;
  return left > 0 ? { ms: left, why: 'delay' } : { ms: 0, why: null };
}

/** An attempt starts (its password is being checked). */
export function reserve(state: ThrottleState, now: number, rule: ThrottleRule): ThrottleState {
  const s = current(state, now, rule);
  return { ...s, pending: s.pending + 1, pendingSince: now };
}

/**
 * The attempt's outcome. A failure counts and may lock the key (`lockedNow`: this attempt locked it);
 * a success clears the failures when `clearOnSuccess` (accounts, not shared addresses).
 */
export function settle(
  state: ThrottleState,
  now: number,
  rule: ThrottleRule,
  outcome: { failed: boolean; clearOnSuccess: boolean },
): { state: ThrottleState; lockedNow: boolean } {
  const s = current(state, now, rule);
  const pending = Math.max(0, s.pending - 1);
  if (!outcome.failed) {
    const cleared = outcome.clearOnSuccess ? { failures: 0, lastFailureAt: null } : {};
    return { state: { ...s, ...cleared, pending }, lockedNow: false };
  }
  const failures = s.failures + 1;
  const lockedNow = failures >= rule.lockAfter && s.lockedUntil === null;
  return {
    state: { ...s, failures, lastFailureAt: now, pending, lockedUntil: lockedNow ? now + rule.lockMs : s.lockedUntil },
    lockedNow,
  };
}
