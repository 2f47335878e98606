import { Injectable } from '@nestjs/common';
import { GENESIS_HASH, hashEntry, SYSTEM_CHAIN, type AuditEntry, type AuditEntryBody } from '@app/audit';
import {
  eventPayload,
  historyReason,
  MACHINE_VERSION,
  persistSnapshot,
  statePath,
  type CaseSnapshot,
  type Decision,
  type EventRequest,
} from '@app/case-workflow';
import { CHAIN, RecentCaseMemory, type LoadedCase } from './case-chain';
import { toCaseRecord, type CaseRecord, type CaseRow } from './cases.repository';
import { toTaskRecord, type NewTask, type TaskRecord, type TaskRow } from './tasks.repository';
import type { Tx } from './transaction';

/** Who an entry names as its actor (null for the system itself, as the escalation). */
export interface EntryActor {
  id: string | null;
  roles: readonly string[];
}

/** A new case, its first entry (CASE_CREATED) and its first tasks. */
export interface CaseCreated {
  kind: 'case_created';
  actor: EntryActor & { id: string };
  at: string;
  caseId: string;
  /** The proposal as the client sent it. */
  input: { fundId: string; companyName: string; sector: string; requestedAmountFen: number; summary: string };
  snapshot: CaseSnapshot;
  /** The tasks the new case waits on. */
  tasks: NewTask[];
}

/** An accepted event: the case moves to the decision's snapshot with version + 1, the tasks follow. */
export interface EventAccepted {
  kind: 'event';
  actor: EntryActor & { id: string };
  at: string;
  loaded: LoadedCase;
  request: EventRequest;
  /** What the server added to the event from policy. */
  server: object;
  decision: Decision;
  /** The tasks the case waits on after the event: missing ones open, the others complete. */
  tasks: NewTask[];
}

/** A task taken or given back. */
export interface TaskAssigned {
  kind: 'task_claimed' | 'task_released';
  actor: EntryActor & { id: string };
  at: string;
  task: TaskRecord;
}

/** An overdue task escalated to another queue (by the system). */
export interface TaskEscalated {
  kind: 'task_escalated';
  at: string;
  task: TaskRecord;
  escalateTo: string;
  slaPolicyVersion: string;
}

/** Any other entry on a case's chain that changes neither its state nor its tasks. */
export interface CaseNote {
  kind: 'case_note';
  actor: EntryActor;
  at: string;
  caseId: string;
  type: string;
  state: string;
  reason?: string | null;
  payload: Record<string, unknown>;
}

/** An entry with no case (logins, admin changes): the system chain. */
export interface SystemNote {
  kind: 'system';
  actor: EntryActor;
  at: string;
  type: string;
  reason?: string | null;
  payload: Record<string, unknown>;
}

/** A case as written: its row and its open tasks after the write. */
export interface RecordedCase {
  record: CaseRecord;
  openTasks: TaskRecord[];
}

type EntryFields = Omit<AuditEntryBody, 'seq' | 'prevHash'>;
const INSERT_ENTRY = `INSERT INTO audit_entries (seq, at, actor_id, actor_roles, case_id, type, from_state, to_state, reason, payload, prev_hash, hash)`;
const entryValues = (e: AuditEntry): unknown[] => [
  e.seq,
  e.at,
  e.actorId,
  e.actorRoles,
  e.caseId,
  e.type,
  e.fromState,
  e.toState,
  e.reason,
  e.payload,
  e.prevHash,
  e.hash,
];
const tasksJson = (tasks: readonly NewTask[]) =>
  JSON.stringify(tasks.map((t) => ({ key: t.key, kind: t.kind, queue: t.queue, assignee_id: t.assigneeId, due_at: t.dueAt })));
const byDue = (a: TaskRecord, b: TaskRecord) => a.dueAt.localeCompare(b.dueAt) || a.id.localeCompare(b.id);

/**
 * $1 id, $2 expected version, $3 state, $4 snapshot, $5 machine version, $6 invested fen, $7 proceeds
 * fen, $8 new head hash (the entry's hash), $9 at, $10 seq, $11 actor id, $12 actor roles, $13 type,
 * $14 from state, $15 reason, $16 payload, $17 prev hash, $18 task keys to complete, $19 tasks to open
 * (JSON: key, kind, queue, assignee_id, due_at), $20 the head hash as read. One statement, so one
 * transaction: it writes the case with version + 1, its history entry and the task changes only if the
 * case still has the version and chain head it was read with (no event, claim or escalation came in
 * between), and returns no row otherwise. The snapshot is not sent back: the caller wrote it.
 * `next_seq` reserves the seq of the case's next entry, for the memory of this write. Two writers of
 * one case serialise on its row lock; the second re-checks the condition against the first's result
 * and writes nothing.
 */
export const EVENT_WRITE_SQL = `WITH upd AS (
         UPDATE cases SET state = $3, snapshot = $4, machine_version = $5, version = version + 1,
                invested_fen = $6, proceeds_fen = $7, head_hash = $8, updated_at = $9
          WHERE id = $1 AND version = $2 AND head_hash IS NOT DISTINCT FROM $20 RETURNING *
       ), hist AS (
         ${INSERT_ENTRY}
         SELECT $10, $9, $11, $12, $1, $13, $14, $3, $15, $16, $17, $8 FROM upd
       ), done AS (
         UPDATE tasks SET status = 'done', completed_at = $9, completed_by = $11
          WHERE case_id = $1 AND status = 'open' AND key = ANY($18::varchar[]) AND EXISTS (SELECT 1 FROM upd)
       ), kept AS (
         UPDATE tasks SET case_state = $3
          WHERE case_id = $1 AND status = 'open' AND case_state <> $3 AND NOT (key = ANY($18::varchar[])) AND EXISTS (SELECT 1 FROM upd)
       ), opened AS (
         INSERT INTO tasks (case_id, key, kind, queue, case_state, assignee_id, status, due_at, created_at)
         SELECT $1, t.key, t.kind, t.queue, $3, t.assignee_id, 'open', t.due_at, $9
           FROM jsonb_to_recordset($19::jsonb) AS t(key varchar, kind varchar, queue varchar, assignee_id uuid, due_at timestamptz)
          WHERE EXISTS (SELECT 1 FROM upd)
         RETURNING *
       )
       SELECT upd.id, upd.fund_id, upd.company_name, upd.sector, upd.requested_amount_fen, upd.summary, upd.owner_id, upd.state,
              upd.machine_version, upd.version, upd.invested_fen, upd.proceeds_fen, upd.head_hash, upd.created_at, upd.updated_at,
              COALESCE((SELECT json_agg(opened) FROM opened), '[]'::json) AS opened,
              nextval('audit_entries_seq')::text AS next_seq
         FROM upd`;

/** $1–$12 the case row, $13–$24 its first entry, $25 its tasks (JSON). */
const CREATE_SQL = `WITH c AS (
         INSERT INTO cases (id, fund_id, company_name, sector, requested_amount_fen, summary, owner_id, state, snapshot, machine_version,
                            version, head_hash, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 1, $11, $12, $12) RETURNING *
       ), hist AS (
         ${INSERT_ENTRY} VALUES ($13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24)
       ), opened AS (
         INSERT INTO tasks (case_id, key, kind, queue, case_state, assignee_id, status, due_at, created_at)
         SELECT $1, t.key, t.kind, t.queue, $8, t.assignee_id, 'open', t.due_at, $12
           FROM jsonb_to_recordset($25::jsonb) AS t(key varchar, kind varchar, queue varchar, assignee_id uuid, due_at timestamptz)
         RETURNING *
       )
       SELECT c.*, COALESCE((SELECT json_agg(opened ORDER BY opened.due_at, opened.id) FROM opened), '[]'::json) AS opened FROM c`;

/**
 * The one writer of the decision history. Every entry of every chain — case creation, accepted
 * events, task claims, releases and escalations, other case notes, logins and admin changes — is
 * appended here, with the change it records, in the caller's transaction: this class owns the
 * entry's fields, its seq and hash, the payload formats, and the task changes that go with it.
 *
 * Appends to one chain are serialised: an event's single statement succeeds only if the case still
 * has the version and chain head it was loaded with (else null: decide again on a fresh load); every
 * other append locks the chain's head row (`FOR UPDATE`) first.
 */
@Injectable()
export class HistoryRecorder {
  constructor(private readonly recent: RecentCaseMemory) {}

  append(tx: Tx, write: EventAccepted): Promise<RecordedCase | null>;
  append(tx: Tx, write: CaseCreated): Promise<RecordedCase>;
  append(tx: Tx, write: TaskAssigned | TaskEscalated): Promise<TaskRecord>;
  append(tx: Tx, write: CaseNote | SystemNote): Promise<AuditEntry>;
  append(
    tx: Tx,
    write: EventAccepted | CaseCreated | TaskAssigned | TaskEscalated | CaseNote | SystemNote,
  ): Promise<RecordedCase | TaskRecord | AuditEntry | null> {
    switch (write.kind) {
      case 'event':
        return this.event(tx, write);
      case 'case_created':
        return this.created(tx, write);
      case 'task_claimed':
      case 'task_released':
      case 'task_escalated':
        return this.taskChange(tx, write);
      case 'case_note':
        return this.caseNote(tx, write);
      case 'system':
        return this.systemNote(tx, write);
    }
  }

  /** The entry with its seq and hash: the next link of the chain whose head is `prevHash`. */
  private seal(fields: EntryFields, seq: string, prevHash: string | null): AuditEntry {
    const body: AuditEntryBody = { ...fields, seq, prevHash: prevHash ?? GENESIS_HASH };
    return { ...body, hash: hashEntry(body) };
  }

  private async event(tx: Tx, w: EventAccepted): Promise<RecordedCase | null> {
    const { loaded, decision, request } = w;
    const caseId = loaded.record.id;
    const position = loaded[CHAIN];
    const version = loaded.record.version + 1;
    const entry = this.seal(
      {
        at: w.at,
        actorId: w.actor.id,
        actorRoles: [...w.actor.roles],
        caseId,
        type: request.type,
        fromState: decision.fromState,
        toState: decision.toState,
        reason: historyReason(request),
        payload: { ...eventPayload(request, w.server, version) },
      },
      position.nextSeq,
      position.headHash,
    );
    const wanted = new Set(w.tasks.map((t) => t.key));
    const have = new Set(loaded.openTasks.map((t) => t.key));
    const persisted = persistSnapshot(decision.next);
    const snapshotText = JSON.stringify(persisted);
    const ctx = decision.next.context;
    const rows = await tx.prepared<Omit<CaseRow, 'snapshot'> & { opened: TaskRow[]; next_seq: string }>(
      'case_apply_event',
      EVENT_WRITE_SQL,
      [
        caseId,
        loaded.record.version,
        decision.toState,
        snapshotText,
        MACHINE_VERSION,
        ctx.funding?.amountFen ?? null,
        ctx.exit?.proceedsFen ?? null,
        entry.hash,
        w.at,
        entry.seq,
        entry.actorId,
        entry.actorRoles,
        entry.type,
        entry.fromState,
        entry.reason,
        entry.payload,
        entry.prevHash,
        loaded.openTasks.filter((t) => !wanted.has(t.key)).map((t) => t.key),
        tasksJson(w.tasks.filter((t) => !have.has(t.key))),
        position.headHash,
      ],
    );
    const row = rows[0];
    if (!row) {
      this.recent.forget(caseId);
      return null;
    }
    const record = toCaseRecord({ ...row, snapshot: persisted });
    const openTasks = [
      ...loaded.openTasks.filter((t) => wanted.has(t.key)).map((t) => ({ ...t, caseState: decision.toState })),
      ...row.opened.map(toTaskRecord),
    ].sort(byDue);
    this.recent.set(caseId, {
      record,
      snapshot: decision.next,
      openTasks,
      [CHAIN]: { headHash: record.headHash, nextSeq: row.next_seq },
      size: snapshotText.length,
    });
    return { record, openTasks };
  }

  private async created(tx: Tx, w: CaseCreated): Promise<RecordedCase> {
    const [{ seq }] = await tx.manager.query<{ seq: string }[]>(`SELECT nextval('audit_entries_seq')::text AS seq`);
    const toState = statePath(w.snapshot.value);
    const entry = this.seal(
      {
        at: w.at,
        actorId: w.actor.id,
        actorRoles: [...w.actor.roles],
        caseId: w.caseId,
        type: 'CASE_CREATED',
        fromState: null,
        toState,
        reason: null,
        payload: { input: { ...w.input }, version: 1, machineVersion: MACHINE_VERSION },
      },
      seq,
      null,
    );
    const c = w.input;
    const rows = await tx.prepared<CaseRow & { opened: TaskRow[] }>('history_case_created', CREATE_SQL, [
      w.caseId,
      c.fundId,
      c.companyName,
      c.sector,
      c.requestedAmountFen,
      c.summary,
      w.actor.id,
      toState,
      persistSnapshot(w.snapshot),
      MACHINE_VERSION,
      entry.hash,
      w.at,
      ...entryValues(entry),
      tasksJson(w.tasks),
    ]);
    return { record: toCaseRecord(rows[0]), openTasks: rows[0].opened.map(toTaskRecord) };
  }

  /** Locks the case row and returns where its chain stands, with a fresh seq for the next entry. */
  private async lockCaseChain(tx: Tx, caseId: string): Promise<{ headHash: string | null; seq: string }> {
    const rows = await tx.manager.query<{ head_hash: string | null; seq: string }[]>(
      `SELECT head_hash, nextval('audit_entries_seq')::text AS seq FROM cases WHERE id = $1 FOR UPDATE`,
      [caseId],
    );
    if (!rows[0]) throw new Error(`case ${caseId} vanished inside its own transaction`);
    return { headHash: rows[0].head_hash, seq: rows[0].seq };
  }

  private async taskChange(tx: Tx, w: TaskAssigned | TaskEscalated): Promise<TaskRecord> {
    const { task } = w;
    const head = await this.lockCaseChain(tx, task.caseId);
    const about = { taskId: task.id, queue: task.queue, kind: task.kind, key: task.key };
    const entry = this.seal(
      w.kind === 'task_escalated'
        ? {
            at: w.at,
            actorId: null,
            actorRoles: [],
            caseId: task.caseId,
            type: 'TASK_ESCALATED',
            fromState: task.caseState,
            toState: task.caseState,
            reason: `Overdue since ${task.dueAt}: escalated to the ${w.escalateTo} queue.`,
            payload: {
              ...about,
              assigneeId: task.assigneeId,
              dueAt: task.dueAt,
              escalatedTo: w.escalateTo,
              slaPolicyVersion: w.slaPolicyVersion,
            },
          }
        : {
            at: w.at,
            actorId: w.actor.id,
            actorRoles: [...w.actor.roles],
            caseId: task.caseId,
            type: w.kind === 'task_claimed' ? 'TASK_CLAIMED' : 'TASK_RELEASED',
            fromState: task.caseState,
            toState: task.caseState,
            reason: null,
            payload: about,
          },
      head.seq,
      head.headHash,
    );
    const [set, values] =
      w.kind === 'task_escalated'
        ? ['escalated_at = $14, escalated_to = $15', [w.at, w.escalateTo]]
        : ['assignee_id = $14', [w.kind === 'task_claimed' ? w.actor.id : null]];
    const rows = await tx.prepared<TaskRow>(
      w.kind === 'task_escalated' ? 'history_task_escalated' : 'history_task_assigned',
      `WITH hist AS (${INSERT_ENTRY} VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)),
            head AS (UPDATE cases SET head_hash = $12 WHERE id = $5)
       UPDATE tasks SET ${set} WHERE id = $13 RETURNING *`,
      [...entryValues(entry), task.id, ...values],
    );
    return toTaskRecord(rows[0]);
  }

  private async caseNote(tx: Tx, w: CaseNote): Promise<AuditEntry> {
    const head = await this.lockCaseChain(tx, w.caseId);
    const entry = this.seal(
      {
        at: w.at,
        actorId: w.actor.id,
        actorRoles: [...w.actor.roles],
        caseId: w.caseId,
        type: w.type,
        fromState: w.state,
        toState: w.state,
        reason: w.reason ?? null,
        payload: w.payload,
      },
      head.seq,
      head.headHash,
    );
    await tx.prepared(
      'history_case_note',
      `WITH hist AS (${INSERT_ENTRY} VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12))
       UPDATE cases SET head_hash = $12 WHERE id = $5`,
      entryValues(entry),
    );
    return entry;
  }

  /** The system chain's head row is locked for the rest of the transaction: its appends stay linear. */
  private async systemNote(tx: Tx, w: SystemNote): Promise<AuditEntry> {
    const [head] = await tx.manager.query<{ head_hash: string; seq: string }[]>(
      `SELECT head_hash, nextval('audit_entries_seq')::text AS seq FROM audit_chain_heads WHERE chain = $1 FOR UPDATE`,
      [SYSTEM_CHAIN],
    );
    const entry = this.seal(
      {
        at: w.at,
        actorId: w.actor.id,
        actorRoles: [...w.actor.roles],
        caseId: null,
        type: w.type,
        fromState: null,
        toState: null,
        reason: w.reason ?? null,
        payload: w.payload,
      },
      head.seq,
      head.head_hash,
    );
    await tx.prepared(
      'history_system_note',
      `WITH hist AS (${INSERT_ENTRY} VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12))
       UPDATE audit_chain_heads SET head_hash = $12 WHERE chain = $13`,
      [...entryValues(entry), SYSTEM_CHAIN],
    );
    return entry;
  }
}
