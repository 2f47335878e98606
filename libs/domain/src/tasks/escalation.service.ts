import { Injectable } from '@nestjs/common';
import { PERSONAL_TASK_KINDS } from '@app/case-workflow';
import { AppConfigService } from '@app/config';
import { CasesRepository, HistoryRecorder, TasksRepository, TransactionRunner } from '@app/persistence';
import { Clock } from '../clock';

/** Cases taken per transaction: short transactions, so events on those cases wait little. */
const BATCH = 50;

/**
 * Escalates overdue tasks, exactly once each, however many processes run it at the same time.
 *
 * Deadlines live in the tasks table, not in timers, so a restart loses nothing: whoever runs next
 * finds what is overdue. Each batch locks the cases it works on with `FOR UPDATE SKIP LOCKED` (the
 * lock events and claims take first), marks the tasks that are still open and not yet escalated, and
 * appends one `TASK_ESCALATED` entry to each case's chain, all in one transaction. A second scheduler
 * skips cases the first holds, and once the first commits the tasks no longer qualify.
 *
 * Personal tasks (PERSONAL_TASK_KINDS: a hearing statement) are never escalated: their due time is the
 * end of a person's right to be heard, not work the firm owes, and nobody else may see them.
 */
@Injectable()
export class EscalationService {
  constructor(
    private readonly clock: Clock,
    private readonly tx: TransactionRunner,
    private readonly cases: CasesRepository,
    private readonly tasks: TasksRepository,
    private readonly recorder: HistoryRecorder,
    private readonly config: AppConfigService,
  ) {}

  /** Escalates everything overdue at `now`; returns how many tasks this call escalated. */
  async escalateOverdue(now = this.clock.now()): Promise<number> {
    let total = 0;
    for (;;) {
      const { escalated, candidates } = await this.tx.run(async (tx) => {
        const caseIds = await this.tasks.casesWithOverdueTasks(tx, now, BATCH, PERSONAL_TASK_KINDS);
        if (caseIds.length === 0) return { escalated: 0, candidates: 0 };
        const locked = await this.cases.lockAvailable(tx, caseIds);
        if (locked.length === 0) return { escalated: 0, candidates: caseIds.length };
        const sla = this.config.policies.sla;
        // Stamped after the locks: every entry already on these chains committed before, so times
        // rise along each chain. `now` stays the test of what is overdue.
        const at = this.clock.nowIso();
        const tasks = await this.tasks.overdueOf(tx, locked, now, PERSONAL_TASK_KINDS);
        for (const task of tasks) {
          await this.recorder.append(tx, { kind: 'task_escalated', at, task, escalateTo: sla.escalateTo, slaPolicyVersion: sla.version });
        }
        return { escalated: tasks.length, candidates: caseIds.length };
      });
      total += escalated;
      // Done when nothing is overdue, or when everything left is held by someone else (an event or
      // another scheduler); the next tick looks again.
      if (candidates < BATCH || escalated === 0) return total;
    }
  }
}
