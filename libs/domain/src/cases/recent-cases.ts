import type { CaseSnapshot } from '@app/case-workflow';
import type { CaseRecord, TaskRecord } from '@app/persistence';

/** A case as this process last wrote it, with the audit seq reserved for its next entry. */
export interface RecentCase {
  record: CaseRecord;
  snapshot: CaseSnapshot;
  openTasks: TaskRecord[];
  nextSeq: string;
  /** Length of the snapshot's JSON: what the entry costs in memory, roughly (it is held twice). */
  size: number;
}

/**
 * The cases this process wrote most recently, so that the next event on one of them can skip the
 * read. Never trusted for correctness: the write still succeeds only if the case in the database has
 * the version and chain head remembered here, and a refused or failed attempt reads the database
 * again. Bounded in count and in snapshot bytes (a case with a very large record is not kept); the
 * least recently written case is forgotten first.
 */
export class RecentCases {
  private readonly entries = new Map<string, RecentCase>();
  private bytes = 0;

  constructor(
    private readonly capacity: number,
    private readonly maxBytes: number,
  ) {}

  get(id: string): RecentCase | undefined {
    return this.entries.get(id);
  }

  set(id: string, entry: RecentCase): void {
    this.forget(id);
    if (entry.size * 2 > this.maxBytes / 64) return;
    this.entries.set(id, entry);
    this.bytes += entry.size * 2;
    while (this.entries.size > this.capacity || this.bytes > this.maxBytes) this.forget(this.entries.keys().next().value!);
  }

  forget(id: string): void {
    const entry = this.entries.get(id);
    if (!entry) return;
    this.entries.delete(id);
    this.bytes -= entry.size * 2;
  }
}
