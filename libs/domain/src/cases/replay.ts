import { initialTransition, transition } from 'xstate';
import type { AuditEntry } from '@app/audit';
import { caseMachine, CASE_EVENT_TYPES, type CaseEvent, type CaseSnapshot } from '@app/case-workflow';
import type { CaseRecord } from '@app/persistence';

export interface Replayed {
  snapshot: CaseSnapshot;
  version: number;
  updatedAt: string;
}

/**
 * The case rebuilt from its history entries (oldest first, the first being CASE_CREATED): each
 * recorded event, with the fields the server added then, replayed through the machine.
 */
export function replayHistory(record: Pick<CaseRecord, 'ownerId' | 'requestedAmountFen'>, entries: AuditEntry[]): Replayed {
  let [snapshot] = initialTransition(caseMachine, { ownerId: record.ownerId, requestedAmountFen: record.requestedAmountFen });
  let version = 1;
  let updatedAt = entries[0]?.at ?? '';
  for (const e of entries.slice(1)) {
    if (!(CASE_EVENT_TYPES as readonly string[]).includes(e.type)) continue;
    const p = e.payload as { input: Record<string, unknown>; server?: Record<string, unknown>; version: number };
    const event = {
      type: e.type,
      ...p.input,
      ...(p.server ?? {}),
      actor: { id: e.actorId, roles: e.actorRoles },
      at: e.at,
    } as unknown as CaseEvent;
    [snapshot] = transition(caseMachine, snapshot, event);
    version = p.version;
    updatedAt = e.at;
  }
  return { snapshot, version, updatedAt };
}
