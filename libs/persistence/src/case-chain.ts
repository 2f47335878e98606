import { Injectable } from '@nestjs/common';
import { RecentCases } from './recent-cases';
import type { CaseRecord } from './cases.repository';
import type { TaskRecord } from './tasks.repository';
import type { CaseSnapshot } from '@app/case-workflow';

/**
 * Internal to the loader and the recorder (not exported from the lib): where a loaded case's chain
 * stood when it was read, and this process's memory of the cases it wrote last.
 */
export const CHAIN = Symbol('chain position');

export interface ChainPosition {
  /** The chain head as read: the write is refused when a claim or escalation moved it since. */
  headHash: string | null;
  /** The audit seq reserved for the next entry (taken in the read's round trip; gaps are harmless). */
  nextSeq: string;
}

/** A case as an event finds it: its row, its restored snapshot, its open tasks. */
export interface LoadedCase {
  readonly record: CaseRecord;
  readonly snapshot: CaseSnapshot;
  readonly openTasks: readonly TaskRecord[];
  readonly [CHAIN]: ChainPosition;
}

/** A case as this process last wrote it, with what it costs to keep (the snapshot's JSON length). */
export interface RememberedCase extends LoadedCase {
  size: number;
}

/** Cases remembered as last written by this process, and their snapshots' budget. */
const RECENT_CASES = 10_000;
const RECENT_CASES_BYTES = 64 * 1024 * 1024;

/** One per process: the loader reads it, the recorder fills it after each write. */
@Injectable()
export class RecentCaseMemory extends RecentCases<RememberedCase> {
  constructor() {
    super(RECENT_CASES, RECENT_CASES_BYTES);
  }
}
