import { Injectable } from '@nestjs/common';
import { AppConfigService } from '@app/config';
import { ChangeFeed, type ChangeSubscriber, type SessionPrincipal } from '@app/persistence';

/** How many sessions one process remembers (oldest forgotten first). */
const KEPT = 20_000;

/**
 * What this process last read about a session and its user, reused for at most `authCacheMs` and
 * only while the change feed is live: a revoked session, a deactivated user or changed roles are
 * dropped as soon as the database says so (NOTIFY from a trigger, whichever process or tool made the
 * change), and this process drops them itself right after its own changes commit.
 */
@Injectable()
export class SessionCache implements ChangeSubscriber {
  private readonly entries = new Map<string, { p: SessionPrincipal; at: number }>();
  /** Moves on at every invalidation: a read that started before one is not cached. */
  private epoch = 0;
  private readonly maxAgeMs: number;

  constructor(
    private readonly feed: ChangeFeed,
    config: AppConfigService,
  ) {
    this.maxAgeMs = config.get('authCacheMs');
    feed.subscribe(this);
  }

  get(sessionId: string, now: number): SessionPrincipal | undefined {
    const hit = this.entries.get(sessionId);
    if (!hit) return undefined;
    if (!this.feed.live || now - hit.at > this.maxAgeMs) {
      this.entries.delete(sessionId);
      return undefined;
    }
    return hit.p;
  }

  /** The epoch to pass to `put` for a read that starts now. */
  mark(): number {
    return this.epoch;
  }

  put(p: SessionPrincipal, readStartedAt: number, epoch: number): void {
    if (epoch !== this.epoch || !this.feed.live || this.maxAgeMs === 0) return;
    if (this.entries.size >= KEPT) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(p.sessionId, { p, at: readStartedAt });
  }

  changed(kind: 'user' | 'session', id: string): void {
    this.epoch++;
    if (kind === 'session') {
      this.entries.delete(id);
      return;
    }
    for (const [sid, e] of this.entries) if (e.p.userId === id) this.entries.delete(sid);
  }

  reset(): void {
    this.epoch++;
    this.entries.clear();
  }
}
