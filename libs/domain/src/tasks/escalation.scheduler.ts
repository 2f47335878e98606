import { Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { AppConfigService } from '@app/config';
import { EscalationService } from './escalation.service';

/**
 * Runs the escalation every SCHEDULER_INTERVAL_MS in each API process (0 turns it off). The timer
 * only decides when to look; what is due is read from the database, so any number of processes, and
 * restarts, escalate each task once. On shutdown it stops and waits for a run in progress.
 */
@Injectable()
export class EscalationScheduler implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(EscalationScheduler.name);
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;

  constructor(
    private readonly escalation: EscalationService,
    private readonly config: AppConfigService,
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
      .then((n) => {
        if (n > 0) this.logger.log({ msg: 'Escalated overdue tasks', escalated: n });
      })
      .catch((err: unknown) =>
        this.logger.warn({ msg: 'Escalation run failed; the next run retries', err: err instanceof Error ? err.message : String(err) }),
      )
      .finally(() => {
        this.running = null;
      });
  }
}
