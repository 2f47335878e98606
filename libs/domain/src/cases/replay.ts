import { initialTransition, transition } from 'xstate';
import type { AuditEntry } from '@app/audit';
import { caseMachine, eventFromHistory, type CaseSnapshot } from '@app/case-workflow';
import type { CaseRecord } from '@app/persistence';

/**
 * The case rebuilt from its history entries (oldest first, the first being CASE_CREATED): each
 * recorded event, with the fields the server added then, replayed through the machine.
 */
export function replayHistory(record: Pick<CaseRecord, 'ownerId' | 'requestedAmountFen'>, entries: AuditEntry[]): CaseSnapshot {
  let [snapshot] = initialTransition(caseMachine, { ownerId: record.ownerId, requestedAmountFen: record.requestedAmountFen });
  for (const e of entries.slice(1)) {
    const event = eventFromHistory(e);
    if (event) [snapshot] = transition(caseMachine, snapshot, event);
  }
  return snapshot;
}
