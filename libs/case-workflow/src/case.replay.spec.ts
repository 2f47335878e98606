import { MACHINE_VERSION } from './case.machine';
import type { HistoryEntry } from './case.history';
import { CaseRecordsCheck, CaseReplay, firstDifference, replayHistory, type StoredCase } from './case.replay';
import { persistSnapshot, statePath, type CaseSnapshot } from './case.snapshot';
import type { CaseEvent } from './case.types';
import { decide } from './case.workflow';
import type { Actor } from './roles';
import { at, chair, head, legal, members, owner, policies, risk, start } from './testing/case-fixture';

/**
 * A case driven through `decide` as the service does, with the history entries the recorder would
 * write (input and server fields apart, the version each event made), and the row it would store.
 */
function recordedCase(machineVersion: number | null = MACHINE_VERSION) {
  const proposal = { fundId: 'fund-1', companyName: '星河科技', sector: 'semiconductors', requestedAmountFen: 100, summary: 's' };
  const entries: HistoryEntry[] = [
    {
      seq: '1',
      at: at(),
      actorId: owner.id,
      actorRoles: [...owner.roles],
      type: 'CASE_CREATED',
      fromState: null,
      toState: 'draft',
      payload: { input: proposal, version: 1, ...(machineVersion !== null ? { machineVersion } : {}) },
    },
  ];
  let s: CaseSnapshot = start();
  let version = 1;
  const send = (
    actor: Actor,
    input: Record<string, unknown>,
    server: Record<string, unknown> = {},
    recordedOnly: Record<string, unknown> = {},
  ) => {
    const when = at();
    const event = { ...input, ...server, actor, at: when } as unknown as CaseEvent;
    const d = decide(s, event);
    s = d.next;
    version++;
    const { type, ...fields } = input;
    entries.push({
      seq: String(entries.length + 1),
      at: when,
      actorId: actor.id,
      actorRoles: [...actor.roles],
      type: type as string,
      fromState: d.fromState,
      toState: d.toState,
      payload: { input: fields, server: { ...server, ...recordedOnly }, version },
    });
  };
  send(owner, { type: 'SUBMIT' });
  send(head, { type: 'APPROVE' });
  for (const w of ['business', 'financial', 'technical'])
    send(owner, { type: 'SUBMIT_DD_REPORT', workstream: w, conclusion: 'ok', findings: 'f' });
  send(legal, { type: 'SUBMIT_DD_REPORT', workstream: 'legal', conclusion: 'ok', findings: 'f' });
  send(risk, { type: 'RISK_OPINION', opinion: 'pass', reason: 'r' });
  for (const m of members.slice(0, 5)) send(m, { type: 'CAST_VOTE', vote: 'approve', reason: 'r' });
  send(chair, { type: 'CLOSE_VOTING' }, { rule: policies.committee });
  send(owner, { type: 'RECORD_SIGNING', signedAt: '2026-02-01T00:00:00.000Z' });
  send(owner, { type: 'RECORD_FUNDING', amountFen: 100, fundedAt: '2026-02-02T00:00:00.000Z' });
  send(owner, { type: 'START_EXIT', channel: 'transfer' });
  send(head, { type: 'CONFIRM_EXIT_AMOUNT', proceedsFen: 40, sourceDocument: 'transfer agreement 12' });
  send(owner, { type: 'COMPLETE_EXIT', proceedsFen: 40, exitedAt: '2026-05-01T00:00:00.000Z' }, { review: policies.review });
  // The files an event cites are recorded beside it (their hashes), never decided on: the replay must leave them out.
  send(
    owner,
    {
      type: 'FILE_EXEMPTION',
      lossCause: 'market',
      statement: 's',
      evidence: [],
      declarations: { noPersonalGain: true, relatedPartiesDisclosed: true, informationComplete: true },
      evidenceIds: ['e1'],
    },
    {},
    { citedEvidence: [{ id: 'e1', fileName: 'a.pdf', sha256: 'ab' }] },
  );
  const stored: StoredCase = {
    state: statePath(s.value),
    version,
    machineVersion: MACHINE_VERSION,
    snapshot: JSON.parse(JSON.stringify(persistSnapshot(s))) as unknown,
    ownerId: owner.id,
    ...proposal,
    investedFen: 100,
    proceedsFen: 40,
  };
  return { entries, stored, snapshot: s };
}

const verdictOf = (entries: HistoryEntry[], stored: StoredCase) => {
  const r = new CaseReplay();
  entries.forEach((e) => r.add(e));
  return r.verdict(stored);
};

/** The stored snapshot with one value changed at a path, as an UPDATE … jsonb_set would. */
function editSnapshot(stored: StoredCase, path: string[], value: unknown): StoredCase {
  const snapshot = JSON.parse(JSON.stringify(stored.snapshot)) as Record<string, unknown>;
  let o = snapshot;
  for (const k of path.slice(0, -1)) o = o[k] as Record<string, unknown>;
  o[path[path.length - 1]] = value;
  return { ...stored, snapshot };
}

describe('replaying a case chain and comparing the case row (issue 11 point 7)', () => {
  it('finds a row written by the application equal to its chain, the cited files left out of the replayed event', () => {
    const { entries, stored, snapshot } = recordedCase();
    expect(stored.state).toBe('exemptionReview.verification');
    expect(verdictOf(entries, stored)).toEqual({ replay: 'full', entries: entries.length, difference: null });
    expect(replayHistory(entries)?.snapshot?.context).toEqual(snapshot.context);
  });

  it('names the first column that differs: state, version, machine version, the proposal, the amounts', () => {
    const { entries, stored } = recordedCase();
    const diff = (edit: Partial<StoredCase>) => verdictOf(entries, { ...stored, ...edit }).difference;
    expect(diff({ state: 'closed' })).toEqual({ field: 'state', stored: 'closed', replayed: 'exemptionReview.verification' });
    expect(diff({ version: stored.version + 1 })).toEqual({ field: 'version', stored: stored.version + 1, replayed: stored.version });
    expect(diff({ machineVersion: 3 })).toMatchObject({ field: 'machine_version' });
    expect(diff({ ownerId: 'someone-else' })).toEqual({ field: 'owner_id', stored: 'someone-else', replayed: owner.id });
    expect(diff({ requestedAmountFen: 1 })).toMatchObject({ field: 'requested_amount_fen', replayed: 100 });
    expect(diff({ companyName: 'x' })).toMatchObject({ field: 'company_name' });
    expect(diff({ proceedsFen: 100 })).toEqual({ field: 'proceeds_fen', stored: 100, replayed: 40 });
    expect(diff({ investedFen: 1 })).toMatchObject({ field: 'invested_fen' });
    // Two edits: the first in the row's order is named.
    expect(diff({ state: 'closed', proceedsFen: 100 })?.field).toBe('state');
  });

  it('names the first snapshot path that differs, an added or a removed member included', () => {
    const { entries, stored } = recordedCase();
    const diff = (s: StoredCase) => verdictOf(entries, s).difference;
    expect(diff(editSnapshot(stored, ['context', 'exit', 'proceedsFen'], 100))).toEqual({
      field: 'snapshot.context.exit.proceedsFen',
      stored: 100,
      replayed: 40,
    });
    expect(diff(editSnapshot(stored, ['context', 'exemption', 'application', 'lossCause'], 'force_majeure'))).toMatchObject({
      field: 'snapshot.context.exemption.application.lossCause',
      replayed: 'market',
    });
    expect(diff(editSnapshot(stored, ['context', 'team'], [owner.id, 'm1']))).toEqual({
      field: 'snapshot.context.team[1]',
      stored: 'm1',
      replayed: null,
    });
    expect(diff(editSnapshot(stored, ['context', 'extra'], true))).toMatchObject({ field: 'snapshot.context.extra', replayed: null });
    expect(diff(editSnapshot(stored, ['value'], 'closed'))).toMatchObject({ field: 'snapshot.value' });
  });

  it('a removed tail or a replayed history that stops short is a difference of version and state', () => {
    const { entries, stored } = recordedCase();
    expect(verdictOf(entries.slice(0, -1), stored).difference).toMatchObject({ field: 'state', replayed: 'exemptionReview.application' });
  });

  it('a row with no CASE_CREATED entry is not backed by a chain', () => {
    const { entries, stored } = recordedCase();
    expect(verdictOf(entries.slice(1), stored)).toMatchObject({ replay: 'partial', difference: { field: 'history' } });
    expect(replayHistory(entries.slice(1))).toBeNull();
  });

  it('a chain begun under an older machine version is checked on state, version and proposal only', () => {
    const { entries, stored } = recordedCase(3);
    // Its snapshot cannot be replayed by this machine: a snapshot edit that keeps the state is not seen…
    expect(verdictOf(entries, editSnapshot(stored, ['context', 'exit', 'proceedsFen'], 100))).toEqual({
      replay: 'partial',
      entries: entries.length,
      difference: null,
    });
    // …but the state, the version and the proposal are the chain's, and the snapshot must be in the row's state.
    expect(verdictOf(entries, { ...stored, state: 'closed' }).difference).toMatchObject({ field: 'state', replayed: stored.state });
    expect(verdictOf(entries, { ...stored, version: 2 }).difference).toMatchObject({ field: 'version' });
    expect(verdictOf(entries, { ...stored, sector: 'x' }).difference).toMatchObject({ field: 'sector' });
    expect(verdictOf(entries, editSnapshot(stored, ['value'], 'closed')).difference).toMatchObject({ field: 'snapshot.value' });
    expect(verdictOf(recordedCase(null).entries, stored).replay).toBe('partial');
  });

  it('CaseRecordsCheck counts every row and lists the ones that differ, up to its limit', () => {
    const { entries, stored } = recordedCase();
    const heard: string[] = [];
    const check = new CaseRecordsCheck(1, (d) => heard.push(d.caseId));
    const run = (caseId: string, row: StoredCase | null) => {
      const f = check.follow(caseId);
      entries.forEach((e) => f.add(e));
      f.finish(row && { stored: row });
    };
    run('a', stored);
    run('b', { ...stored, state: 'closed' });
    run('c', { ...stored, version: 99 });
    run('orphan', null);
    expect(check.summary()).toEqual({
      checked: 3,
      replayed: 3,
      partial: 0,
      differingCount: 2,
      differing: [{ caseId: 'b', replay: 'full', field: 'state', stored: 'closed', replayed: 'exemptionReview.verification' }],
    });
    expect(heard).toEqual(['b', 'c']);
  });

  it('firstDifference walks object keys in sorted order and arrays by index', () => {
    expect(firstDifference({ b: 1, a: { y: 2, x: 1 } }, { b: 2, a: { y: 3, x: 1 } }, 'r')).toEqual({
      field: 'r.a.y',
      stored: 2,
      replayed: 3,
    });
    expect(firstDifference([1, 2], [1, 2, 3], 'r')).toEqual({ field: 'r[2]', stored: null, replayed: 3 });
    expect(firstDifference({ a: [1] }, { a: [1] }, 'r')).toBeNull();
  });
});
