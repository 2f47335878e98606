import { Injectable, Logger } from '@nestjs/common';
import { AppConfigService } from '@app/config';
import { LoginThrottleRepository, TransactionRunner, type Tx } from '@app/persistence';
import { Clock } from '../clock';
import { DomainErrorCode, DomainException } from '../domain.exception';
import { reserve, settle, waitMs, type ThrottleRule } from './login-throttle';

export type ThrottleScope = 'account' | 'address';

/** A key this attempt locked: audited by the caller as LOGIN_LOCKED. */
export interface ThrottleLock {
  scope: ThrottleScope;
  key: string;
  failures: number;
  lockedUntil: string;
}

interface Key {
  scope: ThrottleScope;
  id: string;
  key: string;
  rule: ThrottleRule;
}

/** Applies the login throttle (login-throttle.ts) to an attempt's account and source address, in PostgreSQL. */
@Injectable()
export class LoginThrottleService {
  private readonly logger = new Logger('LoginThrottle');
  private readonly account: ThrottleRule;
  private readonly address: ThrottleRule;

  constructor(
    private readonly tx: TransactionRunner,
    private readonly repo: LoginThrottleRepository,
    private readonly clock: Clock,
    config: AppConfigService,
  ) {
    const s = config.get('loginThrottle');
    const lockMs = s.lockSeconds * 1000;
    this.account = {
      freeFailures: 3,
      growthEvery: 1,
      lockAfter: s.accountLockAfter,
      delayBaseMs: s.delayBaseMs,
      lockMs,
      maxPending: 4,
      maxPendingClean: 16,
    };
    // An address may be a whole office behind one NAT: more free failures, slower growth.
    this.address = {
      freeFailures: 10,
      growthEvery: 5,
      lockAfter: s.addressLockAfter,
      delayBaseMs: s.delayBaseMs,
      lockMs,
      maxPending: 32,
      maxPendingClean: 64,
    };
  }

  private keys(username: string, ip: string): Key[] {
    const name = username.trim().toLowerCase();
    return [
      { scope: 'account', id: name, key: `account:${name}`, rule: this.account },
      { scope: 'address', id: ip, key: `address:${ip}`, rule: this.address },
    ];
  }

  /** Refuses the attempt (429 with the wait) while its account or address must wait; else counts it as under way. */
  async begin(username: string, ip: string): Promise<void> {
    const now = this.clock.now().getTime();
    const keys = this.keys(username, ip);
    const refusal = await this.tx.run(async (tx) => {
      const rows = new Map(
        (
          await this.repo.lock(
            tx,
            keys.map((k) => k.key),
          )
        ).map((r) => [r.key, r]),
      );
      for (const k of keys) {
        const wait = waitMs(rows.get(k.key)!, now, k.rule);
        if (wait.ms > 0) return { ...k, ...wait };
      }
      for (const k of keys) await this.repo.save(tx, { key: k.key, ...reserve(rows.get(k.key)!, now, k.rule) });
      return null;
    });
    if (!refusal) return;
    const seconds = Math.max(1, Math.ceil(refusal.ms / 1000));
    this.logger.warn({ msg: 'login throttled', scope: refusal.scope, key: refusal.id, why: refusal.why, retryAfterSeconds: seconds });
    const whose = refusal.scope === 'account' ? 'for this account' : 'from this address';
    const message =
      refusal.why === 'busy'
        ? `Too many login attempts ${whose} at once: try again in a second.`
        : refusal.why === 'locked'
          ? `Too many failed logins ${whose}: it is locked until ${new Date(now + refusal.ms).toISOString()}; try again in ${Math.ceil(seconds / 60)} minute(s).`
          : `Too many failed logins ${whose}: wait ${seconds} second(s) before trying again.`;
    throw new DomainException(DomainErrorCode.TooManyRequests, message, { retryAfterSeconds: seconds, scope: refusal.scope });
  }

  /**
   * The attempt's outcome, inside the caller's transaction (with its audit entry): a failure counts
   * against the account and the address and may lock them; a success clears the account's failures;
   * `abandoned` (the attempt broke off) only stops counting it as under way.
   */
  async settle(tx: Tx, username: string, ip: string, outcome: 'failed' | 'succeeded' | 'abandoned'): Promise<ThrottleLock[]> {
    const now = this.clock.now().getTime();
    const keys = this.keys(username, ip);
    const rows = new Map(
      (
        await this.repo.lock(
          tx,
          keys.map((k) => k.key),
        )
      ).map((r) => [r.key, r]),
    );
    const locks: ThrottleLock[] = [];
    for (const k of keys) {
      const r = settle(rows.get(k.key)!, now, k.rule, {
        failed: outcome === 'failed',
        clearOnSuccess: outcome === 'succeeded' && k.scope === 'account',
      });
      await this.repo.save(tx, { key: k.key, ...r.state });
      if (r.lockedNow)
        locks.push({ scope: k.scope, key: k.id, failures: r.state.failures, lockedUntil: new Date(r.state.lockedUntil!).toISOString() });
    }
    return locks;
  }
}
