import { initialTransition } from 'xstate';
import { caseMachine, MACHINE_VERSION } from './case.machine';
import { eventFromHistory, historyInput, historyVersion, type HistoryEntry } from './case.history';
import { migrateSnapshot, persistSnapshot, statePath, type CaseSnapshot } from './case.snapshot';
import { applyEvent } from './case.workflow';

/** The first entry of every case chain. */
export const CASE_CREATED = 'CASE_CREATED';

/**
 * What the `cases` row says about a case, in the fields its chain decides: everything but the chain
 * head (the chain verifier checks that) and the timestamps.
 */
export interface StoredCase {
  state: string;
  version: number;
  machineVersion: number;
  snapshot: unknown;
  ownerId: string;
  fundId: string;
  companyName: string;
  sector: string;
  requestedAmountFen: number;
  summary: string;
  investedFen: number | null;
  proceedsFen: number | null;
}

/** The first field, in the order of `StoredCase` (then the snapshot's paths, keys sorted), where the row and the chain disagree. */
export interface ReplayDifference {
  /** A column (`state`, `version`, `owner_id`…) or a path into the snapshot (`snapshot.context.exit.proceedsFen`). */
  field: string;
  stored: unknown;
  /** What the chain produces. */
  replayed: unknown;
}

export interface ReplayVerdict {
  /**
   * `full`: the whole history was replayed through this machine and the row compared field by field;
   * `partial`: the chain began under an older machine version, which this server cannot replay, so only
   * the state, version and the proposal's fields were compared (the snapshot against its own state).
   */
  replay: 'full' | 'partial';
  /** Entries read. */
  entries: number;
  difference: ReplayDifference | null;
}

const SNAKE: Record<string, string> = {
  machineVersion: 'machine_version',
  ownerId: 'owner_id',
  fundId: 'fund_id',
  companyName: 'company_name',
  requestedAmountFen: 'requested_amount_fen',
  investedFen: 'invested_fen',
  proceedsFen: 'proceeds_fen',
};
const column = (f: string) => SNAKE[f] ?? f;

/** JSON as stored: undefined members dropped, as the `jsonb` column holds it. */
const asStored = (v: unknown): unknown => JSON.parse(JSON.stringify(v)) as unknown;

/** The first path at which two JSON values differ, object keys walked in sorted order; null when equal. */
export function firstDifference(stored: unknown, replayed: unknown, path: string): ReplayDifference | null {
  if (stored === replayed) return null;
  const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (Array.isArray(stored) && Array.isArray(replayed)) {
    for (let i = 0; i < Math.max(stored.length, replayed.length); i++) {
      const d = firstDifference(stored[i], replayed[i], `${path}[${i}]`);
      if (d) return d;
    }
    return null;
  }
  if (isObj(stored) && isObj(replayed)) {
    for (const k of [...new Set([...Object.keys(stored), ...Object.keys(replayed)])].sort()) {
      const d = firstDifference(stored[k], replayed[k], `${path}.${k}`);
      if (d) return d;
    }
    return null;
  }
  return { field: path, stored: stored ?? null, replayed: replayed ?? null };
}

/**
 * Rebuilds a case from its chain, entry by entry, in seq order, holding only the current snapshot:
 * the CASE_CREATED entry starts the machine with the proposal it recorded, and every recorded event
 * (`eventFromHistory`, with the fields the server added then) goes through the machine again. Used
 * by `asOf`, the fund evaluation's replay and the audit verification's check of the `cases` row.
 */
export class CaseReplay {
  private current: CaseSnapshot | null = null;
  private created: HistoryEntry | null = null;
  private count = 0;
  /** The state and version the newest state-changing entry recorded (what a partial check compares). */
  private recorded: { state: string | null; version: number; at: string | null } = { state: null, version: 0, at: null };

  /** Takes the next entry of the chain; entries before CASE_CREATED (there should be none) are counted and ignored. */
  add(e: HistoryEntry): void {
    this.count++;
    if (e.type === CASE_CREATED && !this.created && e.actorId !== null) {
      this.created = e;
      const input = historyInput(e);
      this.current = initialTransition(caseMachine, { ownerId: e.actorId, requestedAmountFen: Number(input.requestedAmountFen) })[0];
      this.recorded = { state: e.toState, version: historyVersion(e) ?? 1, at: e.at };
      return;
    }
    if (!this.current) return;
    const event = eventFromHistory(e);
    if (!event) return;
    this.current = applyEvent(this.current, event);
    this.recorded = { state: e.toState, version: historyVersion(e) ?? this.recorded.version, at: e.at };
  }

  /** The case as its chain so far makes it; null before the CASE_CREATED entry. */
  get snapshot(): CaseSnapshot | null {
    return this.current;
  }

  /** The version the newest event made (1 after creation). */
  get version(): number {
    return this.recorded.version;
  }

  /** When the newest event (or the creation) was recorded: the case's `updatedAt` as of then. */
  get updatedAt(): string | null {
    return this.recorded.at;
  }

  /** Entries read so far. */
  get entries(): number {
    return this.count;
  }

  /**
   * Compares the stored row with what the chain produced and names the first field that differs.
   * A chain begun by this machine version is replayed in full; one begun by an older version (its
   * CASE_CREATED records an older or no `machineVersion`) gets the partial check.
   */
  verdict(stored: StoredCase): ReplayVerdict {
    const created = this.created;
    if (!created || !this.current) {
      return {
        replay: 'partial',
        entries: this.count,
        difference: { field: 'history', stored: 'a case row', replayed: 'no CASE_CREATED entry: the row is not backed by a chain' },
      };
    }
    const createdBy = created.payload.machineVersion;
    const full = createdBy === MACHINE_VERSION;
    const input = historyInput(created);
    const proposal: Partial<StoredCase> = {
      ownerId: created.actorId!,
      fundId: input.fundId as string,
      companyName: input.companyName as string,
      sector: input.sector as string,
      requestedAmountFen: Number(input.requestedAmountFen),
      summary: input.summary as string,
    };
    let expected: Partial<StoredCase>;
    if (full) {
      const ctx = this.current.context;
      expected = {
        state: statePath(this.current.value),
        version: this.recorded.version,
        machineVersion: MACHINE_VERSION,
        ...proposal,
        investedFen: ctx.funding?.amountFen ?? null,
        proceedsFen: ctx.exit?.proceedsFen ?? null,
      };
    } else {
      expected = { state: this.recorded.state ?? undefined, version: this.recorded.version, ...proposal };
    }
    const replay = full ? 'full' : 'partial';
    const fields = Object.keys(expected) as (keyof StoredCase)[];
    for (const f of fields) {
      if (expected[f] === undefined) continue;
      if (stored[f] !== expected[f])
        return { replay, entries: this.count, difference: { field: column(f), stored: stored[f], replayed: expected[f] } };
    }
    if (full) {
      const difference = firstDifference(stored.snapshot, asStored(persistSnapshot(this.current)), 'snapshot');
      return { replay, entries: this.count, difference };
    }
    // An older chain: the stored snapshot (migrated to this version) must at least be in the row's state.
    let snapshotState: string;
    try {
      snapshotState = statePath(migrateSnapshot(stored.snapshot, stored.machineVersion).value);
    } catch (err) {
      return { replay, entries: this.count, difference: { field: 'snapshot', stored: (err as Error).message, replayed: stored.state } };
    }
    return {
      replay,
      entries: this.count,
      difference: snapshotState === stored.state ? null : { field: 'snapshot.value', stored: snapshotState, replayed: stored.state },
    };
  }
}

/** The case rebuilt from its history (oldest first); null when it has no CASE_CREATED entry (the case did not exist yet). */
export function replayHistory(entries: Iterable<HistoryEntry>): CaseReplay | null {
  const replay = new CaseReplay();
  for (const e of entries) replay.add(e);
  return replay.snapshot ? replay : null;
}

/** A case whose row differs from its chain. */
export interface CaseRecordDifference extends ReplayDifference {
  caseId: string;
  replay: ReplayVerdict['replay'];
}

/** The check of every `cases` row against its chain (see CaseRecordsCheck). */
export interface CaseRecordsSummary {
  /** Case rows compared with their chains. */
  checked: number;
  /** Of those, replayed in full through this machine version. */
  replayed: number;
  /** Of those, begun under an older machine version: state, version and proposal compared only. */
  partial: number;
  differingCount: number;
  /** The rows that differ, each with the first field that does; at most `maxReported` of them. */
  differing: CaseRecordDifference[];
}

/**
 * Follows each case chain beside the hash verification (one pass over the entries), replays it, and
 * compares the case row with the result: the row is editable, the chain is not, so a row that
 * disagrees with its chain was changed behind the application's back.
 */
export class CaseRecordsCheck {
  private checked = 0;
  private replayed = 0;
  private partial = 0;
  private differingCount = 0;
  private readonly differing: CaseRecordDifference[] = [];

  constructor(
    private readonly maxReported = 100,
    private readonly onDifference?: (d: CaseRecordDifference) => void,
  ) {}

  follow(caseId: string): { add(e: HistoryEntry): void; finish(head: { stored: StoredCase } | null): void } {
    const replay = new CaseReplay();
    return {
      add: (e) => replay.add(e),
      finish: (head) => {
        // Entries of a case with no row: the chain verifier reports them.
        if (!head) return;
        const v = replay.verdict(head.stored);
        this.checked++;
        if (v.replay === 'full') this.replayed++;
        else this.partial++;
        if (!v.difference) return;
        this.differingCount++;
        const d = { caseId, replay: v.replay, ...v.difference };
        if (this.differing.length < this.maxReported) this.differing.push(d);
        this.onDifference?.(d);
      },
    };
  }

  summary(): CaseRecordsSummary {
    return {
      checked: this.checked,
      replayed: this.replayed,
      partial: this.partial,
      differingCount: this.differingCount,
      differing: [...this.differing],
    };
  }
}
