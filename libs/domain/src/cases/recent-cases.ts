import type { CaseSnapshot } from '@app/case-workflow';
import type { CaseRecord, TaskRecord } from '@app/persistence';

/** A case as this process last wrote it, with the audit seq reserved for its next entry. */
export interface RecentCase {
  record: CaseRecord;
  snapshot: CaseSnapshot;
  openTasks: TaskRecord[];
  nextSeq: string;
}

/**
 * The cases this process wrote most recently, so that the next event on one of them can skip the
 * read. Never trusted for correctness: the write still succeeds only if the case in the database has
 * the version and chain head remembered here, and a refused or failed attempt reads the database
 * again. Bounded; the least recently written case is forgotten first.
 */
export class RecentCases {
  private readonly entries = new Map<string, RecentCase>();

  constructor(private readonly capacity: number) {}

  get(id: string): RecentCase | undefined {
    return this.entries.get(id);
  }

  set(id: string, entry: RecentCase): void {
    this.entries.delete(id);
    this.entries.set(id, entry);
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
  }

  forget(id: string): void {
    this.entries.delete(id);
  }
}
