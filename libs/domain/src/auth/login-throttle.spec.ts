import { EMPTY_THROTTLE, PENDING_STALE_MS, reserve, settle, waitMs, type ThrottleRule, type ThrottleState } from './login-throttle';

const rule: ThrottleRule = {
  freeFailures: 3,
  growthEvery: 1,
  lockAfter: 6,
  delayBaseMs: 1000,
  lockMs: 60_000,
  maxPending: 2,
  maxPendingClean: 3,
};

/** `n` failed attempts, one a minute-fraction apart, starting at t=0. */
function failures(n: number, gapMs = 100_000): { state: ThrottleState; now: number; locks: number } {
  let state = EMPTY_THROTTLE;
  let now = 0;
  let locks = 0;
  for (let i = 0; i < n; i++) {
    now += i === 0 ? 0 : Math.min(gapMs, 50_000);
    state = reserve(state, now, rule);
    const r = settle(state, now, rule, { failed: true, clearOnSuccess: true });
    state = r.state;
    if (r.lockedNow) locks++;
  }
  return { state, now, locks };
}

describe('login throttle', () => {
  it('lets the free failures through without a wait', () => {
    const { state, now } = failures(2, 10);
    expect(waitMs(state, now, rule).ms).toBe(0);
  });

  it('makes each failure after the free ones wait longer (doubling)', () => {
    const at3 = failures(3, 10);
    expect(waitMs(at3.state, at3.now, rule)).toEqual({ ms: 1000, why: 'delay' });
    const at5 = failures(5, 10);
    expect(waitMs(at5.state, at5.now, rule)).toEqual({ ms: 4000, why: 'delay' });
    expect(waitMs(at5.state, at5.now + 4000, rule).ms).toBe(0);
  });

  it('locks once at the threshold, for the lock time, whatever the password', () => {
    const { state, now, locks } = failures(6, 10);
    expect(locks).toBe(1);
    expect(waitMs(state, now, rule)).toEqual({ ms: 60_000, why: 'locked' });
    expect(waitMs(state, now + 60_001, rule).ms).toBe(0);
  });

  it('forgets failures older than the lock time, and a success clears an account', () => {
    const { state, now } = failures(4, 10);
    expect(waitMs(state, now + 60_001, rule).ms).toBe(0);
    const ok = settle(reserve(state, now + 20_000, rule), now + 20_000, rule, { failed: false, clearOnSuccess: true }).state;
    expect(ok.failures).toBe(0);
    const shared = settle(reserve(state, now + 20_000, rule), now + 20_000, rule, { failed: false, clearOnSuccess: false }).state;
    expect(shared.failures).toBe(4);
  });

  it('bounds the attempts checked at once; a lost one stops counting after a while', () => {
    const two = reserve(reserve(EMPTY_THROTTLE, 0, rule), 0, rule);
    expect(waitMs(two, 0, rule).ms).toBe(0); // no failures yet: a person's parallel logins
    const three = reserve(two, 0, rule);
    expect(waitMs(three, 0, rule).why).toBe('busy');
    expect(waitMs(three, PENDING_STALE_MS + 1, rule).ms).toBe(0);
    const failedOnce = settle(reserve(EMPTY_THROTTLE, 0, rule), 0, rule, { failed: true, clearOnSuccess: true }).state;
    expect(waitMs(reserve(reserve(failedOnce, 1, rule), 1, rule), 1, rule).why).toBe('busy');
  });
});
