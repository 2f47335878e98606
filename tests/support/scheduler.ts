import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

/** A scheduler process as the API runs it, whose clock and ticks a test drives (scheduler-process.js). */
export interface Scheduler {
  /** Sets the scheduler's clock. */
  at(time: Date): Promise<void>;
  /** One run of the escalation; resolves with how many tasks it escalated. */
  tick(): Promise<number>;
  stop(): Promise<void>;
}

/**
 * Starts the compiled EscalationService in a process of its own (its own pool, nothing in memory) on
 * `databaseUrl`, its clock at `time`; it ticks only when told.
 */
export async function startScheduler(databaseUrl: string, time: Date): Promise<Scheduler> {
  const child: ChildProcess = fork(join(__dirname, 'scheduler-process.js'), [], {
    env: { PATH: process.env.PATH ?? '', DATABASE_URL: databaseUrl },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  await new Promise<void>((resolve, reject) => {
    child.once('message', () => resolve());
    child.once('exit', (code) => reject(new Error(`scheduler process exited (${code})`)));
  });
  let next = 0;
  const call = (cmd: string, extra: Record<string, unknown> = {}) =>
    new Promise<{ escalated?: number }>((resolve, reject) => {
      const id = ++next;
      const onMessage = (m: { id: number; ok: boolean; error?: string; escalated?: number }) => {
        if (m.id !== id) return;
        child.off('message', onMessage);
        if (m.ok) resolve(m);
        else reject(new Error(m.error));
      };
      child.on('message', onMessage);
      child.send({ id, cmd, ...extra });
    });
  const s: Scheduler = {
    at: async (when) => void (await call('clock', { at: when.toISOString() })),
    tick: async () => (await call('tick')).escalated ?? 0,
    stop: async () => {
      if (child.connected) await call('stop');
    },
  };
  await s.at(time);
  return s;
}
