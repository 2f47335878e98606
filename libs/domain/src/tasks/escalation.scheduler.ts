import { Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { AppConfigService } from '@app/config';
import { Clock } from '../clock';
import { CheckpointService } from '../audit/checkpoint.service';
import { IdempotencyService } from '../idempotency/idempotency.service';
import { EscalationService } from './escalation.service';

/** How often a process deletes expired Idempotency-Key answers (on the scheduler's tick). */
const IDEMPOTENCY_CLEANUP_MS = 3600_000;

/**
 * Runs the escalation every SCHEDULER_INTERVAL_MS in each API process (0 turns it off), writes an
 * anchored checkpoint every CHECKPOINT_INTERVAL_MS when chains moved, and about once an hour deletes
 * the Idempotency-Key answers older than 24 hours. The timer
 * only decides when to look; what is due is read from the database, so any number of processes, and
 * restarts, escalate each task once. On shutdown it stops and waits for a run in progress.
 */
@Injectable()
export class EscalationScheduler implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(EscalationScheduler.name);
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private lastCleanup = 0;
  private lastCheckpoint = 0;

  constructor(
    private readonly escalation: EscalationService,
    private readonly config: AppConfigService,
    private readonly idempotency: IdempotencyService,
    private readonly clock: Clock,
    private readonly checkpoints: CheckpointService,
  ) {}

  onApplicationBootstrap(): void {
    const interval = this.config.get('schedulerIntervalMs');
    if (interval <= 0) return;
    this.timer = setInterval(() => this.tick(), interval);
    this.timer.unref();
    this.tick();
  }

  async beforeApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }

  private tick(): void {
    if (this.running) return;
    this.running = this.escalation
      .escalateOverdue()
      .then(async (n) => {
        if (n > 0) this.logger.log({ msg: 'Escalated overdue tasks', escalated: n });
        const now = this.clock.now().getTime();
        const checkpointEvery = this.config.get('checkpoints')?.intervalMs ?? 0;
        if (checkpointEvery > 0 && now - this.lastCheckpoint >= checkpointEvery) {
          this.lastCheckpoint = now;
          await this.checkpoints.writeQuietly('scheduled');
        }
        if (now - this.lastCleanup < IDEMPOTENCY_CLEANUP_MS) return;
        this.lastCleanup = now;
        const deleted = await this.idempotency.deleteExpired();
        if (deleted > 0) this.logger.log({ msg: 'Deleted expired Idempotency-Key answers', deleted });
      })
      .catch((err: unknown) =>
        this.logger.warn({
          msg: 'Escalation or clean-up run failed; the next run retries',
          err: err instanceof Error ? err.message : String(err),
        }),
      )
      .finally(() => {
        this.running = null;
      });
  }
}
