import { Injectable } from '@nestjs/common';

/**
 * The one source of the current time in the services: every timestamp they write (history entries,
 * task due times, escalations) and every "now" they compare with (overdue, the notice period) comes
 * from here. Injected, so tests move time through it: `ManualClock` in-process, or the test-only
 * CLOCK_OFFSET_MS setting for an API process.
 */
@Injectable()
export class Clock {
  constructor(private readonly offsetMs = 0) {}

  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }

  nowIso(): string {
    return this.now().toISOString();
  }
}

/** A clock that stands still until told to move (tests). */
export class ManualClock extends Clock {
  private current: number;

  constructor(start: Date) {
    super();
    this.current = start.getTime();
  }

  override now(): Date {
    return new Date(this.current);
  }

  set(at: Date): void {
    this.current = at.getTime();
  }

  advance(ms: number): void {
    this.current += ms;
  }
}
