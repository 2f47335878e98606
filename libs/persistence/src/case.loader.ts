import { Injectable } from '@nestjs/common';
import { DomainErrorCode, DomainException, notFound, restoreSnapshot } from '@app/case-workflow';
import { CHAIN, RecentCaseMemory, type LoadedCase } from './case-chain';
import { toCaseRecord, type CaseRow } from './cases.repository';
import { toTaskRecord, type TaskRow } from './tasks.repository';
import { TransactionRunner, type Tx } from './transaction';

export type { LoadedCase } from './case-chain';

/**
 * Reads the case, takes the next audit seq and reads the case's open tasks, in one round trip ($1 the
 * case id). Nothing is locked unless asked: the recorder's write succeeds only if the case is still as read.
 */
export const EVENT_READ_SQL = `SELECT c.*, nextval('audit_entries_seq')::text AS next_seq,
              (SELECT json_agg(t ORDER BY t.due_at, t.id) FROM tasks t WHERE t.case_id = c.id AND t.status = 'open') AS open_tasks
         FROM cases c WHERE c.id = $1`;

/** Attempts without a lock before an event whose chain head keeps moving (claims, escalations) locks. */
const OPTIMISTIC_ATTEMPTS = 3;

/**
 * Loads a case for an event and runs the event's work on it until the work's write lands. The work
 * returns null when the recorder found the case moved since it was loaded (another event, a claim or
 * an escalation came in between); it is then run again on a fresh read.
 *
 * How: first on this process's memory of its own last write of the case (no read at all); then on
 * plain reads (no lock is held while the machine decides); after two misses once more holding the
 * case's row lock, which claims and escalations take too, so the event cannot starve.
 */
@Injectable()
export class CaseLoader {
  constructor(
    private readonly tx: TransactionRunner,
    private readonly recent: RecentCaseMemory,
  ) {}

  /**
   * `transaction`: run each attempt in a transaction of its own, for work that writes more than the
   * recorder's one statement (an Idempotency-Key's answer beside the event).
   */
  async withCase<T>(
    caseId: string,
    expectedVersion: number,
    work: (tx: Tx, loaded: LoadedCase) => Promise<T | null>,
    opts: { transaction?: boolean } = {},
  ): Promise<T> {
    const inOwn = <R>(w: (tx: Tx) => Promise<R>) => (opts.transaction ? this.tx.run(w) : this.tx.connection(w));
    const remembered = this.recent.get(caseId);
    if (remembered && remembered.record.version === expectedVersion) {
      // Anything but a successful write (the case moved, or a refusal decided on what may be an old
      // picture) is decided again on a fresh read.
      try {
        const done = await inOwn((tx) => work(tx, remembered));
        if (done !== null) return done;
      } catch (err) {
        if (!(err instanceof DomainException)) throw err;
      }
      this.recent.forget(caseId);
    }
    for (let attempt = 1; attempt < OPTIMISTIC_ATTEMPTS; attempt++) {
      const done = await inOwn(async (tx) => work(tx, await this.read(tx, caseId, false)));
      if (done !== null) return done;
    }
    const done = await this.tx.run(async (tx) => work(tx, await this.read(tx, caseId, true)));
    // Cannot happen while the row lock is held; if it ever does, nothing was written and the person can resend.
    if (done === null) {
      throw new DomainException(
        DomainErrorCode.Conflict,
        'The case changed while this event was being recorded and nothing was saved; reload the case and send the event again.',
        undefined,
        '记录本事件时案件已被他人更改，本次未保存任何内容；请刷新案件后重新提交。',
      );
    }
    return done;
  }

  private async read(tx: Tx, caseId: string, lock: boolean): Promise<LoadedCase> {
    const rows = await tx.prepared<CaseRow & { next_seq: string; open_tasks: TaskRow[] | null }>(
      lock ? 'case_read_for_event_locked' : 'case_read_for_event',
      lock ? `${EVENT_READ_SQL} FOR UPDATE OF c` : EVENT_READ_SQL,
      [caseId],
    );
    const row = rows[0];
    if (!row) throw notFound('case');
    const record = toCaseRecord(row);
    return {
      record,
      snapshot: restoreSnapshot(record.snapshot, record.machineVersion),
      openTasks: (row.open_tasks ?? []).map(toTaskRecord),
      [CHAIN]: { headHash: record.headHash, nextSeq: row.next_seq },
    };
  }
}
