import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { Client } from 'pg';
import { AppConfigService } from '@app/config';

/** The channel the `auth_notify_change` trigger notifies: `u:<userId>` or `s:<sessionId>`. */
export const AUTH_CHANNEL = 'pcw_auth';

export interface ChangeSubscriber {
  /** A user row or a session changed (any process, any tool). */
  changed(kind: 'user' | 'session', id: string): void;
  /** The feed (re)connected or dropped: anything may have changed meanwhile. */
  reset(): void;
}

/**
 * One LISTEN connection per process that passes the database's change notifications on. While it is
 * not connected, `live` is false and subscribers must not trust what they cached.
 */
@Injectable()
export class ChangeFeed implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('ChangeFeed');
  private readonly subscribers: ChangeSubscriber[] = [];
  private client: Client | null = null;
  private closed = false;
  private retry: NodeJS.Timeout | null = null;
  live = false;

  constructor(private readonly config: AppConfigService) {}

  subscribe(s: ChangeSubscriber): void {
    this.subscribers.push(s);
  }

  onApplicationBootstrap(): void {
    void this.connect();
  }

  async onModuleDestroy(): Promise<void> {
    this.closed = true;
    if (this.retry) clearTimeout(this.retry);
    this.live = false;
    const c = this.client;
    this.client = null;
    await c?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    if (this.closed) return;
    const client = new Client({
      connectionString: this.config.get('databaseUrl'),
      application_name: `patient-capital-workflow:${process.pid}`, // like the pool: operators see one name per process
      connectionTimeoutMillis: 5_000,
      keepAlive: true,
    });
    client.on('notification', (n) => {
      if (n.channel !== AUTH_CHANNEL || !n.payload) return;
      const kind = n.payload.startsWith('u:') ? 'user' : 'session';
      const id = n.payload.slice(2);
      for (const s of this.subscribers) s.changed(kind, id);
    });
    const lost = (err?: Error) => {
      if (this.client !== client) return;
      this.client = null;
      this.setLive(false);
      if (!this.closed) {
        this.logger.warn({ msg: 'change feed lost; reconnecting', err: err?.message });
        this.schedule();
      }
    };
    client.on('error', lost);
    client.on('end', () => lost());
    this.client = client;
    try {
      await client.connect();
      await client.query(`LISTEN ${AUTH_CHANNEL}`);
      if (this.closed) {
        await client.end();
        return;
      }
      this.setLive(true);
    } catch (err) {
      if (this.client === client) this.client = null;
      await client.end().catch(() => undefined);
      if (!this.closed) this.schedule();
      this.logger.debug({ msg: 'change feed not connected', err: (err as Error).message });
    }
  }

  private schedule(): void {
    if (this.retry || this.closed) return;
    this.retry = setTimeout(() => {
      this.retry = null;
      void this.connect();
    }, 1_000);
    this.retry.unref();
  }

  private setLive(live: boolean): void {
    this.live = live;
    for (const s of this.subscribers) s.reset();
  }
}
