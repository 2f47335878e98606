import type { CommitteeRule, MonitoringPolicy } from '../policy.types';
import type { HistoryEntry } from './case-history';

export const RULE: CommitteeRule = {
  version: 'c1',
  quorum: 5,
  approvalNumerator: 2,
  approvalDenominator: 3,
  abstentionsCountAsCast: true,
  riskFailRequiresOverride: true,
};
export const MONITORING: MonitoringPolicy = { version: 'm1', reportCadenceDays: 92, downgradeReactionDays: 10 };

const ROLE: Record<string, string> = {
  owner: 'investment_manager',
  head: 'department_head',
  legal: 'legal_officer',
  risk: 'risk_officer',
  chair: 'committee_chair',
};

/** Builds a case history entry by entry; `day` is days after 2026-01-01. */
export class HistoryBuilder {
  readonly entries: HistoryEntry[] = [];
  add(
    day: number,
    actorId: string,
    type: string,
    fields: Record<string, unknown> = {},
    states: [string | null, string | null] = [null, null],
    server?: Record<string, unknown>,
  ): this {
    this.entries.push({
      seq: String(this.entries.length + 1),
      at: new Date(Date.parse('2026-01-01T00:00:00Z') + day * 86_400_000).toISOString(),
      actorId,
      actorRoles: [ROLE[actorId] ?? (actorId.startsWith('m') ? 'committee_member' : 'compliance_officer')],
      type,
      fromState: states[0],
      toState: states[1],
      payload: { input: fields, ...(server ? { server } : {}) },
    });
    return this;
  }

  /** A proper decision: created, approved, four DD reports, a risk opinion, five votes, closed, funded on day 10. */
  static decided(votes = ['approve', 'approve', 'approve', 'approve', 'reject'], opinion = 'pass'): HistoryBuilder {
    const h = new HistoryBuilder()
      .add(0, 'owner', 'CASE_CREATED', {}, [null, 'draft'])
      .add(0, 'owner', 'SUBMIT', {}, ['draft', 'screening'])
      .add(1, 'head', 'APPROVE', { reason: 'fits' }, ['screening', 'dueDiligence']);
    for (const w of ['business', 'financial', 'technical'])
      h.add(2, 'owner', 'SUBMIT_DD_REPORT', { workstream: w, conclusion: 'ok', findings: 'f' }, ['dueDiligence', 'dueDiligence']);
    h.add(3, 'legal', 'SUBMIT_DD_REPORT', { workstream: 'legal', conclusion: 'ok', findings: 'f' }, ['dueDiligence', 'riskReview']);
    h.add(4, 'risk', 'RISK_OPINION', { opinion, reason: 'r' }, ['riskReview', 'committee']);
    votes.forEach((vote, i) => h.add(5, `m${i + 1}`, 'CAST_VOTE', { vote, reason: `${vote} because` }, ['committee', 'committee']));
    h.add(6, 'chair', 'CLOSE_VOTING', opinion === 'fail' ? { overrideReason: 'strategic' } : {}, ['committee', 'execution'], {
      rule: RULE,
    });
    h.add(7, 'owner', 'RECORD_SIGNING', { signedAt: '2026-01-08T00:00:00.000Z' }, ['execution', 'execution']);
    h.add(10, 'owner', 'RECORD_FUNDING', { amountFen: 100, fundedAt: '2026-01-11T00:00:00.000Z' }, ['execution', 'monitoring']);
    return h;
  }
}
