import { rmSync } from 'node:fs';
import request from 'supertest';
import { loadPolicies } from '../../libs/config/src/policies';
import { ExemptionDriver } from '../support/exemption-driver';
import { bootTestApp, configWith, startApi, type ApiProcess, type TestApp } from '../support/test-app';

const defaults = loadPolicies();

/**
 * A review keeps the configuration it was opened and decided with. One API process runs with the
 * default files (and a notice period of 0 days from EXEMPTION_NOTICE_PERIOD_DAYS); a second process
 * on the same database runs with every exemption-related file changed.
 */
describe('exemption review: versioned config and the notice period', () => {
  let t: TestApp;
  let x: ExemptionDriver;
  let changedDir: string;
  let changed: ApiProcess;
  let x2: ExemptionDriver;
  beforeAll(async () => {
    t = await bootTestApp({ env: { EXEMPTION_NOTICE_PERIOD_DAYS: '0' } });
    x = new ExemptionDriver(t);
  });
  afterAll(async () => {
    await changed?.stop();
    await t.close();
    if (changedDir) rmSync(changedDir, { recursive: true, force: true });
  });

  it('concludes the notice once the period (0 days from the environment) is over and every objection is ruled on, recording who and when', async () => {
    const caseId = await x.review();
    await x.verifyAll(caseId);
    const owner = (await t.as('investment_manager_1')).id;
    await x.decide(caseId, {
      outcome: 'partial',
      reasons: 'Reports were late.',
      accountability: [{ userId: owner, responsibility: 'direct', reduction: 'lighter', reason: 'Reported the loss promptly.' }],
    });
    // An objection, even a late one, must be ruled on before the notice is concluded.
    await x.d.ok(caseId, 'compliance_officer_2', { type: 'RAISE_OBJECTION', text: 'The reports were late on purpose.' });
    const pending = await x.d.send(caseId, 'compliance_officer_1', { type: 'CONCLUDE_NOTICE' });
    expect(pending.status).toBe(422);
    expect(pending.body.message).toBe('Objection 0 must be ruled on (RULE_ON_OBJECTION) before the notice is concluded.');
    const own = await x.d.send(caseId, 'compliance_officer_2', { type: 'RULE_ON_OBJECTION', objection: 0, upheld: false, note: 'n' });
    expect(own.status).toBe(403);
    expect(own.body.message).toMatch(/raised this objection and may not rule on it yourself/);
    // The verifier of the findings the decision rests on may not rule on it either.
    const verifier = await x.d.send(caseId, 'compliance_officer_1', { type: 'RULE_ON_OBJECTION', objection: 0, upheld: false, note: 'n' });
    expect(verifier.status).toBe(403);
    expect(verifier.body.message).toMatch(/nobody rules on an objection to their own finding or decision/);
    await x.d.ok(caseId, 'compliance_officer_3', {
      type: 'RULE_ON_OBJECTION',
      objection: 0,
      upheld: false,
      note: 'No evidence of intent; already reflected in the partial outcome.',
    });
    await x.receiveReferral(caseId);
    const closed = await x.d.ok(caseId, 'compliance_officer_1', { type: 'CONCLUDE_NOTICE', note: 'One objection, dismissed.' });
    expect(closed.state).toBe('closed');
    const r = await x.record(caseId);
    expect(r.body).toMatchObject({ state: 'closed', outcome: 'partial', configVersions: { notice: 'notice-2026.2+env' } });
    expect(r.body.objections).toEqual([
      expect.objectContaining({
        index: 0,
        ruling: expect.objectContaining({ upheld: false, by: (await t.as('compliance_officer_3')).id }),
      }),
    ]);
    expect(r.body.notice).toMatchObject({
      periodDays: 0,
      policyVersion: 'notice-2026.2+env',
      endsAt: r.body.decidedAt,
      concludedBy: (await t.as('compliance_officer_1')).id,
      note: 'One objection, dismissed.',
    });
  });

  it('leaves an old review untouched when the config files change, and opens new reviews with the new files', async () => {
    // Under the default files: one decided review, one still in verification.
    const decided = await x.review();
    await x.verifyAll(decided);
    await x.decide(decided, { outcome: 'exempt', reasons: 'Duties performed.' });
    const open = await x.review();
    const before = await x.record(decided);

    changedDir = configWith({
      'exemption/criteria.yaml': {
        version: 'criteria-2027.1',
        criteria: [
          ...defaults.criteria.criteria.map((c) => ({
            ...c,
            titleZh: `修订：${c.titleZh}`,
            titleEn: `Revised: ${c.titleEn}`,
            verifierRoles: ['compliance_officer'],
          })),
          {
            code: 'portfolio_view',
            titleZh: '组合整体评价',
            titleEn: 'Portfolio-level assessment',
            evidence: 'manual',
            verifierRoles: ['compliance_officer'],
          },
        ],
      },
      'exemption/negative-list.yaml': {
        version: 'negative-list-2027.1',
        items: defaults.negativeList.items.map((i) => ({ ...i, titleZh: `修订：${i.titleZh}` })),
      },
      'exemption/notice.yaml': { version: 'notice-2027.1', periodDays: 9 },
      'policies/tolerance.yaml': {
        version: 'tolerance-2027.1',
        limitRate: { seed: 0.9, angel: 0.9, venture: 0.9, industry: 0.9, buyout: 0.9 },
      },
      'policies/monitoring.yaml': { version: 'monitoring-2027.1', reportCadenceDays: 1, downgradeReactionDays: 1 },
      // A provincial firm's lower thresholds: the 600,000-yuan loss of these reviews becomes 较大.
      'exemption/loss-tiers.yaml': {
        version: 'loss-tiers-2027.1',
        tiers: [
          { code: 'general', titleZh: '一般', titleEn: 'general', minFen: 0, description: 'under 100,000 yuan' },
          { code: 'major', titleZh: '较大', titleEn: 'major', minFen: 10_000_000, description: '100,000 yuan up to 1 million yuan' },
          { code: 'grave', titleZh: '重大', titleEn: 'grave', minFen: 100_000_000, description: '1 million yuan and over' },
        ],
      },
    });
    changed = await startApi({ databaseUrl: t.db.url, env: { CONFIG_DIR: changedDir } });
    x2 = new ExemptionDriver({ ...t, api: changed, http: () => request(changed.url) });

    // The decided review reads the same through the new process: versions, titles, report, tolerance.
    const after = await x2.record(decided);
    expect(after.status).toBe(200);
    expect(after.body).toEqual(before.body);
    expect(after.body.configVersions).toMatchObject({
      criteria: 'criteria-2026.1',
      negativeList: 'negative-list-2026.1',
      monitoring: 'monitoring-2026.1',
      tolerance: 'tolerance-2026.2',
      notice: 'notice-2026.2+env',
      lossTiers: 'loss-tiers-2026.1',
    });
    expect(after.body.loss.tier).toMatchObject({ code: 'general', titleZh: '一般', policyVersion: 'loss-tiers-2026.1' });
    expect(after.body.criteria.map((c: { titleZh: string }) => c.titleZh)).toEqual(defaults.criteria.criteria.map((c) => c.titleZh));
    expect(after.body.tolerance).toMatchObject({ policyVersion: 'tolerance-2026.2', limitRate: 0.5 });

    // The open review goes on under its frozen definitions: lawful_compliant is still verified by a legal_officer.
    const openRecord = await x2.record(open);
    expect(openRecord.body.criteria.map((c: { criterion: string }) => c.criterion)).toEqual(defaults.criteria.criteria.map((c) => c.code));
    expect(openRecord.body.proceduralReport.monitoringPolicyVersion).toBe('monitoring-2026.1');
    const byCompliance = await x2.d.send(open, 'compliance_officer_1', {
      type: 'VERIFY_CRITERION',
      criterion: 'lawful_compliant',
      finding: 'met',
      note: 'n',
    });
    expect(byCompliance.status).toBe(403);
    expect(byCompliance.body.message).toMatch(/lawful_compliant .* is verified by legal_officer/);
    const unknown = await x2.d.send(open, 'compliance_officer_1', {
      type: 'VERIFY_CRITERION',
      criterion: 'portfolio_view',
      finding: 'met',
      note: 'n',
    });
    expect(unknown.status).toBe(422);
    expect(unknown.body.message).toMatch(/Unknown criterion "portfolio_view": this review uses .* \(criteria criteria-2026\.1\)/);
    await x2.verifyAll(open);
    await x2.decide(open, { outcome: 'exempt', reasons: 'r' });
    // Decided now: the notice and tolerance policies in force at the decision apply (they are frozen then).
    expect((await x2.record(open)).body).toMatchObject({
      notice: { periodDays: 9, policyVersion: 'notice-2027.1' },
      tolerance: { policyVersion: 'tolerance-2027.1', limitRate: 0.9 },
    });

    // A review opened under the new files uses them.
    const fresh = await x2.review();
    const r = await x2.record(fresh);
    expect(r.body.configVersions).toMatchObject({
      criteria: 'criteria-2027.1',
      negativeList: 'negative-list-2027.1',
      monitoring: 'monitoring-2027.1',
      lossTiers: 'loss-tiers-2027.1',
    });
    expect(r.body.loss).toMatchObject({
      lossFen: 60_000_000,
      tier: { code: 'major', titleZh: '较大', policyVersion: 'loss-tiers-2027.1' },
    });
    expect(r.body.criteria).toHaveLength(7);
    expect(r.body.criteria[0]).toMatchObject({
      criterion: 'lawful_compliant',
      titleZh: '修订：依法合规，未违反明令禁止',
      verifierRoles: ['compliance_officer'],
    });
    expect(r.body.negativeList.items[0].titleZh).toBe('修订：谋取私利');
  });
});
