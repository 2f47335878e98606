import { CaseDriver, COMMITTEE, type SentEvent } from './case-driver';
import type { TestApp } from './test-app';

/** The three distinctions (三个区分开来) and the side each finding takes by default. */
export const DISTINCTIONS = ['inexperience_vs_knowing_violation', 'trial_vs_prohibition', 'development_vs_personal_gain'] as const;
export type Distinction = (typeof DISTINCTIONS)[number];

/** The legal officer independent of the driver's cases: legal_officer_1 wrote the legal DD report, legal_officer_2 verifies. */
export const LEGALITY_REVIEWER = 'legal_officer_3';

const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString();

export interface ReviewOptions {
  fundId?: string;
  amountFen?: number;
  /** Exit proceeds; `'write_off'` writes the investment off instead (proceeds 0). */
  proceedsFen?: number | 'write_off';
  /** Funding date, days before now (the monitoring-cadence clock starts there). */
  fundedDaysAgo?: number;
  votes?: ('approve' | 'reject' | 'abstain')[];
  opinion?: 'pass' | 'conditional' | 'fail';
  /** Runs while the case is in monitoring (reports, risk grades). */
  monitoring?: (caseId: string) => Promise<void>;
  file?: boolean;
}

/** Verifier per criterion of the default criteria file: legal_officer_1 wrote the legal DD report, so legal_officer_2 verifies. */
export const VERIFIER: Record<string, string> = {
  lawful_compliant: 'legal_officer_2',
  procedure_followed: 'compliance_officer_1',
  diligent_due_diligence: 'compliance_officer_1',
  no_personal_gain: 'compliance_officer_1',
  timely_monitoring: 'compliance_officer_1',
  objective_cause: 'compliance_officer_1',
};

/**
 * The default decision panel's members not recused in the driver's cases (config/exemption/decision.yaml:
 * committee chair, members and department heads; the chair closed the vote, the five members voted,
 * department_head_1 approved screening). The first records the decision.
 */
export const PANEL = ['department_head_3', 'department_head_4', 'department_head_5'];

/** Drives a case to its exemption review and through it, over HTTP. */
export class ExemptionDriver {
  readonly d: CaseDriver;
  constructor(private readonly t: TestApp) {
    this.d = new CaseDriver(t);
  }

  async createFund(type = 'venture'): Promise<string> {
    const { auth } = await this.t.as('admin_1');
    const res = await this.t
      .http()
      .post('/api/funds')
      .set(auth)
      .send({ name: `Fund ${Math.random().toString(36).slice(2, 10)}`, type, sizeFen: 100_000_000_000, vintageYear: 2025, termYears: 10 });
    if (res.status !== 201) throw new Error(`fund create failed: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.id;
  }

  /** A case funded and in monitoring. */
  async funded(o: ReviewOptions = {}): Promise<string> {
    const d = this.d;
    const c = await d.create('investment_manager_1', o.fundId ? { fundId: o.fundId } : {});
    await d.toDueDiligence(c.id);
    await d.submitDd(c.id);
    await d.ok(c.id, 'risk_officer_1', {
      type: 'RISK_OPINION',
      opinion: o.opinion ?? 'pass',
      reason: 'Risk reviewed.',
      ...(o.opinion === 'conditional' ? { conditions: 'Board seat' } : {}),
    });
    await d.vote(c.id, o.votes ?? ['approve', 'approve', 'approve', 'approve', 'approve'], COMMITTEE);
    await d.ok(c.id, 'committee_chair_1', {
      type: 'CLOSE_VOTING',
      ...(o.opinion === 'fail' ? { overrideReason: 'Strategic technology.' } : {}),
    });
    const fundedAt = Date.now() - (o.fundedDaysAgo ?? 1) * DAY;
    await d.ok(c.id, 'investment_manager_1', { type: 'RECORD_SIGNING', signedAt: iso(fundedAt - DAY) });
    await d.ok(c.id, 'investment_manager_1', { type: 'RECORD_FUNDING', amountFen: o.amountFen ?? 100_000_000, fundedAt: iso(fundedAt) });
    if (o.monitoring) await o.monitoring(c.id);
    return c.id;
  }

  async exit(caseId: string, proceedsFen: number | 'write_off'): Promise<Record<string, any>> {
    if (proceedsFen === 'write_off')
      return this.d.ok(caseId, 'department_head_2', { type: 'WRITE_OFF', reason: 'The company is insolvent.' });
    await this.d.ok(caseId, 'investment_manager_1', { type: 'START_EXIT', channel: 'transfer' });
    await this.d.ok(caseId, 'department_head_1', { type: 'CONFIRM_EXIT_AMOUNT', proceedsFen, sourceDocument: '股权转让协议 第12号' });
    return this.d.ok(caseId, 'investment_manager_1', { type: 'COMPLETE_EXIT', proceedsFen, exitedAt: iso(Date.now()) });
  }

  /** A case in `exemptionReview.verification` (or `application` with file: false). */
  async review(o: ReviewOptions = {}): Promise<string> {
    const id = await this.funded(o);
    await this.exit(id, o.proceedsFen ?? 40_000_000);
    if (o.file !== false) await this.file(id);
    return id;
  }

  file(caseId: string) {
    return this.d.ok(caseId, 'investment_manager_1', {
      type: 'FILE_EXEMPTION',
      lossCause: 'technology',
      statement: 'The pilot line failed to reach yield; the market moved to another process.',
      evidence: [{ title: 'Board minutes 2026-05', ref: 'ARCH-2026-051' }],
      declarations: { noPersonalGain: true, relatedPartiesDisclosed: true, informationComplete: true },
    });
  }

  /**
   * Verifies every criterion of the default file (`findings` overrides some of them), then records the
   * three distinctions (三个区分开来; all tolerable unless `sides` says otherwise, none with `sides: null`).
   */
  async verifyAll(
    caseId: string,
    findings: Record<string, 'met' | 'not_met'> = {},
    sides: Partial<Record<Distinction, 'tolerable' | 'culpable'>> | null = {},
  ): Promise<Record<string, any>> {
    let last: Record<string, any> = {};
    for (const [criterion, verifier] of Object.entries(VERIFIER)) {
      last = await this.d.ok(caseId, verifier, {
        type: 'VERIFY_CRITERION',
        criterion,
        finding: findings[criterion] ?? 'met',
        note: `${criterion} checked against the file.`,
      });
    }
    return sides === null ? last : this.distinguish(caseId, sides);
  }

  /** Records a finding on each of the three distinctions (三个区分开来), tolerable unless `sides` says otherwise. */
  async distinguish(
    caseId: string,
    sides: Partial<Record<Distinction, 'tolerable' | 'culpable'>> = {},
    by = 'compliance_officer_1',
  ): Promise<Record<string, any>> {
    let last: Record<string, any> = {};
    for (const distinction of DISTINCTIONS) {
      last = await this.d.ok(caseId, by, {
        type: 'RECORD_DISTINCTION',
        distinction,
        side: sides[distinction] ?? 'tolerable',
        reasons: `${distinction}: see the board minutes.`,
        evidence: [{ title: 'Board minutes 2026-05', ref: 'ARCH-2026-051' }],
      });
    }
    return last;
  }

  /** The demo username of a user id (every demo user, logged in once). */
  async username(userId: string): Promise<string> {
    // The demo users a case's accountability names in these tests (libs/domain/src/seed/demo-seed.ts).
    const demo = { investment_manager: 3, department_head: 7, risk_officer: 2, committee_member: 5, committee_chair: 1 };
    for (const [role, count] of Object.entries(demo)) {
      for (let i = 1; i <= count; i++) if ((await this.t.as(`${role}_${i}`)).id === userId) return `${role}_${i}`;
    }
    throw new Error(`no demo user with id ${userId}`);
  }

  /**
   * The due process before a decision that refers someone (machine version 5): the proposal is put to
   * the persons it names (PROPOSE_ACCOUNTABILITY), each answers (SUBMIT_STATEMENT), and an independent
   * legal officer reviews it (LEGALITY_REVIEW). Returns the first refusal, or null.
   */
  async hearAndReview(
    caseId: string,
    body: Record<string, unknown> & { outcome: string },
    proposer = PANEL[0],
    legality: 'favourable' | 'unfavourable' = 'favourable',
  ): Promise<SentEvent | null> {
    const accountability = (body.accountability ?? []) as { userId: string }[];
    const proposed = await this.d.send(caseId, proposer, {
      type: 'PROPOSE_ACCOUNTABILITY',
      outcome: body.outcome,
      accountability,
      reasons: 'The findings put to the persons concerned.',
    });
    if (proposed.status !== 200) return proposed;
    for (const a of accountability) {
      await this.d.ok(caseId, await this.username(a.userId), {
        type: 'SUBMIT_STATEMENT',
        statement: 'I acted on the information I had.',
        evidence: [],
      });
    }
    const reviewed = await this.d.send(caseId, LEGALITY_REVIEWER, {
      type: 'LEGALITY_REVIEW',
      lawfulBasis: 'Order No. 46 Art. 36.',
      procedure: 'Every person was heard.',
      proportionality: 'The responsibility matches the conduct.',
      conclusion: legality,
    });
    return reviewed.status === 200 ? null : reviewed;
  }

  /**
   * Each panel member votes `outcome`; then the first sends DECIDE_EXEMPTION with `body` (the response,
   * accepted or not). A decision that refers someone is first heard and reviewed (`hearAndReview`)
   * unless `dueProcess` is false; a refusal there is the answer.
   */
  async tryDecide(
    caseId: string,
    body: Record<string, unknown> & { outcome: string },
    panel = PANEL,
    dueProcess = true,
  ): Promise<SentEvent> {
    if (dueProcess && body.outcome !== 'exempt' && Array.isArray(body.accountability) && body.accountability.length > 0) {
      const refused = await this.hearAndReview(caseId, body, panel[0]);
      if (refused) return refused;
    }
    for (const member of panel) {
      await this.d.ok(caseId, member, { type: 'CAST_PANEL_VOTE', outcome: body.outcome, reasons: `${member}: ${body.outcome}` });
    }
    return this.d.send(caseId, panel[0], { type: 'DECIDE_EXEMPTION', reasons: 'Decided by the panel.', ...body });
  }

  /** The panel decides `body.outcome`; must be accepted. */
  async decide(caseId: string, body: Record<string, unknown> & { outcome: string }, panel = PANEL): Promise<Record<string, any>> {
    const r = await this.tryDecide(caseId, body, panel);
    if (r.status !== 200) throw new Error(`DECIDE_EXEMPTION ${body.outcome} failed: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  }

  /** A discipline officer receives the referral of a not_exempt or partial decision. */
  receiveReferral(caseId: string) {
    return this.d.ok(caseId, 'discipline_officer_1', { type: 'RECEIVE_REFERRAL', note: 'Referral received.' });
  }

  /** A negative-list flag naming `persons` (usernames). */
  async flag(caseId: string, item: string, persons: string[], by = 'compliance_officer_2'): Promise<SentEvent> {
    const ids = await Promise.all(persons.map(async (p) => (await this.t.as(p)).id));
    return this.d.send(caseId, by, {
      type: 'FLAG_NEGATIVE_LIST',
      item,
      note: `${item}: see the evidence.`,
      persons: ids,
      evidence: [{ title: 'Bank statement', ref: 'EV-2026-001' }],
    });
  }

  async record(caseId: string, username = 'auditor_1'): Promise<{ status: number; body: Record<string, any> }> {
    const { auth } = await this.t.as(username);
    const res = await this.t.http().get(`/api/cases/${caseId}/exemption`).set(auth);
    return { status: res.status, body: res.body };
  }

  async history(caseId: string): Promise<{ seq: string; type: string; actorId: string }[]> {
    const { auth } = await this.t.as('auditor_1');
    return (await this.t.http().get(`/api/cases/${caseId}/history`).set(auth)).body;
  }
}
