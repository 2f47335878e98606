import type { CaseEvent, CaseEventType, EventRequest } from './case.types';
import { isCaseEventType } from './case.types';
import type { Role } from './roles';

/**
 * One entry of a case's decision history, as the audit log stores it (the fields the workflow reads).
 * Declared here so that this lib needs neither the audit lib nor a database.
 */
export interface HistoryEntry {
  seq: string;
  at: string;
  actorId: string | null;
  actorRoles: string[];
  type: string;
  fromState: string | null;
  toState: string | null;
  payload: Record<string, unknown>;
}

/**
 * The payload of an accepted event's history entry, the one format written (by the recorder) and
 * read back (by `eventFromHistory`): the fields the client sent, those the server added from policy,
 * and the version the event made.
 */
export interface EventPayload {
  input: Record<string, unknown>;
  server?: Record<string, unknown>;
  version: number;
}

export function eventPayload(request: EventRequest, server: object, version: number): EventPayload {
  return { input: { ...request.input }, ...(Object.keys(server).length ? { server: { ...server } } : {}), version };
}

const REASON_FIELDS = ['reason', 'overrideReason', 'reasons', 'note', 'text', 'statement'] as const;

/** An event entry's `reason`: the first free-text justification the event carries. */
export function historyReason(request: EventRequest): string | null {
  const fields: Partial<Record<string, unknown>> = request.input;
  for (const f of REASON_FIELDS) {
    const v = fields[f];
    if (typeof v === 'string' && v.trim()) return v;
  }
  return null;
}

const record = (v: unknown): Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};

/** The fields the sender gave (`payload.input`). */
export const historyInput = (e: HistoryEntry): Record<string, unknown> => record(e.payload.input);
/** The fields the server added from policy (`payload.server`). */
export const historyServer = (e: HistoryEntry): Record<string, unknown> => record(e.payload.server);
/** The case version an event's entry made, or null for entries that are not events (claims, escalations). */
export const historyVersion = (e: HistoryEntry): number | null => (typeof e.payload.version === 'number' ? e.payload.version : null);

/**
 * Turns a history entry back into the event the machine decided, or null when the entry is not an
 * event (creation, claims, releases, escalations). The one reader of the event payload: `asOf`
 * replays with it, the exemption record reads the decision's events with it.
 */
export function eventFromHistory(e: HistoryEntry): CaseEvent | null {
  const type: string = e.type;
  if (!isCaseEventType(type) || e.actorId === null) return null;
  // `citedEvidence` is recorded beside the decision (each cited file's hash), not decided on.
  const { citedEvidence: _recorded, ...server } = historyServer(e);
  const fields: Record<string, unknown> = { ...historyInput(e), ...server };
  // Written by the recorder from a validated event of this type: the stored fields are the event's.
  const event = { ...fields, type, actor: { id: e.actorId, roles: e.actorRoles as Role[] }, at: e.at };
  return event as CaseEvent & { type: CaseEventType };
}
