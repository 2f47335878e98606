import type { TestApp } from './test-app';

export const COMMITTEE = ['committee_member_1', 'committee_member_2', 'committee_member_3', 'committee_member_4', 'committee_member_5'];

export interface SentEvent {
  status: number;
  body: Record<string, any>;
}

/** Drives cases through the real HTTP API, the way staff would. */
export class CaseDriver {
  constructor(private readonly t: TestApp) {}

  async fundId(type = 'venture'): Promise<string> {
    const { auth } = await this.t.as('auditor_1');
    const res = await this.t.http().get('/api/funds').set(auth);
    return res.body.find((f: { type: string }) => f.type === type).id;
  }

  async create(owner = 'investment_manager_1', overrides: Record<string, unknown> = {}): Promise<Record<string, any>> {
    const { auth } = await this.t.as(owner);
    const res = await this.t
      .http()
      .post('/api/cases')
      .set(auth)
      .send({
        fundId: await this.fundId(),
        companyName: `Company ${Math.random().toString(36).slice(2, 8)}`,
        sector: 'semiconductors',
        requestedAmountFen: 1_000_000_00,
        summary: 'A test proposal.',
        ...overrides,
      });
    if (res.status !== 201) throw new Error(`create failed: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  }

  async get(caseId: string, username = 'auditor_1'): Promise<Record<string, any>> {
    const { auth } = await this.t.as(username);
    const res = await this.t.http().get(`/api/cases/${caseId}`).set(auth);
    if (res.status !== 200) throw new Error(`get failed: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  }

  /** Sends an event with the case's current version unless one is given. */
  async send(caseId: string, username: string, event: Record<string, unknown>): Promise<SentEvent> {
    const { auth } = await this.t.as(username);
    const expectedVersion = event.expectedVersion ?? (await this.get(caseId)).version;
    const res = await this.t
      .http()
      .post(`/api/cases/${caseId}/events`)
      .set(auth)
      .send({ ...event, expectedVersion });
    return { status: res.status, body: res.body };
  }

  /** Sends an event that must be accepted. */
  async ok(caseId: string, username: string, event: Record<string, unknown>): Promise<Record<string, any>> {
    const r = await this.send(caseId, username, event);
    if (r.status !== 200) throw new Error(`${String(event.type)} by ${username} failed: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  }

  async toDueDiligence(caseId: string, owner = 'investment_manager_1') {
    await this.ok(caseId, owner, { type: 'SUBMIT' });
    return this.ok(caseId, 'department_head_1', { type: 'APPROVE', reason: 'Fits the fund strategy.' });
  }

  async submitDd(caseId: string, owner = 'investment_manager_1') {
    for (const workstream of ['business', 'financial', 'technical']) {
      await this.ok(caseId, owner, { type: 'SUBMIT_DD_REPORT', workstream, conclusion: 'Positive', findings: `${workstream} findings` });
    }
    return this.ok(caseId, 'legal_officer_1', {
      type: 'SUBMIT_DD_REPORT',
      workstream: 'legal',
      conclusion: 'No blocking issue',
      findings: 'IP ownership clean',
    });
  }

  async toCommittee(caseId: string, opinion: 'pass' | 'conditional' | 'fail' = 'pass') {
    await this.toDueDiligence(caseId);
    await this.submitDd(caseId);
    return this.ok(caseId, 'risk_officer_1', { type: 'RISK_OPINION', opinion, reason: 'Risk reviewed.' });
  }

  async vote(caseId: string, votes: ('approve' | 'reject' | 'abstain')[], voters = COMMITTEE) {
    let last: Record<string, any> = {};
    for (let i = 0; i < votes.length; i++) {
      last = await this.ok(caseId, voters[i], { type: 'CAST_VOTE', vote: votes[i], reason: `Vote ${votes[i]} with reasons.` });
    }
    return last;
  }

  async toExecution(caseId: string) {
    await this.toCommittee(caseId);
    await this.vote(caseId, ['approve', 'approve', 'approve', 'approve', 'reject']);
    return this.ok(caseId, 'committee_chair_1', { type: 'CLOSE_VOTING' });
  }

  async toMonitoring(caseId: string, amountFen = 1_000_000_00) {
    await this.toExecution(caseId);
    await this.ok(caseId, 'investment_manager_1', { type: 'RECORD_SIGNING', signedAt: '2026-01-10T00:00:00Z' });
    return this.ok(caseId, 'investment_manager_1', { type: 'RECORD_FUNDING', amountFen, fundedAt: '2026-01-20T00:00:00Z' });
  }

  async toExemptionReview(caseId: string, proceedsFen = 40_000_000) {
    await this.toMonitoring(caseId);
    await this.ok(caseId, 'investment_manager_1', { type: 'START_EXIT', channel: 'transfer' });
    await this.ok(caseId, 'department_head_1', { type: 'CONFIRM_EXIT_AMOUNT', proceedsFen, sourceDocument: '股权转让协议 第12号' });
    return this.ok(caseId, 'investment_manager_1', { type: 'COMPLETE_EXIT', proceedsFen, exitedAt: '2026-06-30T00:00:00Z' });
  }
}
