import { ExemptionDriver } from '../support/exemption-driver';
import { bootTestApp, type TestApp } from '../support/test-app';

describe('fund whole-life evaluation (全生命周期绩效评价)', () => {
  let t: TestApp;
  let x: ExemptionDriver;
  beforeAll(async () => {
    t = await bootTestApp();
    x = new ExemptionDriver(t);
  });
  afterAll(() => t.close());

  const evaluation = async (fundId: string, asOf?: string) => {
    const { auth } = await t.as('auditor_1');
    return t
      .http()
      .get(`/api/funds/${fundId}/evaluation`)
      .query(asOf ? { asOf } : {})
      .set(auth);
  };

  it('adds up the fund’s whole life, live and as of an earlier moment, and presumes tolerance within the limit', async () => {
    const fundId = await x.createFund('venture'); // tolerance 50%
    const pipeline = await x.d.create('investment_manager_1', { fundId });
    const held = await x.funded({ fundId, amountFen: 100_000_000 });
    const heldAt = (await x.d.get(held)).updatedAt as string;
    const loss = await x.review({ fundId, amountFen: 100_000_000, proceedsFen: 40_000_000 });
    const gain = await x.funded({ fundId, amountFen: 100_000_000 });
    await x.exit(gain, 150_000_000);

    const live = await evaluation(fundId);
    expect(live.status).toBe(200);
    expect(live.body).toMatchObject({
      fundId,
      type: 'venture',
      basis: 'live',
      policyVersion: 'tolerance-2026.2',
      limitRate: 0.5,
      investedFen: 300_000_000,
      realisedLossFen: 60_000_000,
      realisedGainFen: 50_000_000,
      netLossFen: 10_000_000,
      lossRateGross: 0.2,
      lossRateNet: 0.033333,
      withinToleranceGross: true,
      withinToleranceNet: true,
      withinTolerance: true,
      exemptions: { outcomes: { exempt: 0, partial: 0, not_exempt: 0 }, pendingReviews: 1, underNotice: 0, concluded: 0 },
      presumption: { lossMakingProjects: 1, applies: true },
    });
    const byId = Object.fromEntries(live.body.projects.map((p: { caseId: string }) => [p.caseId, p]));
    expect(byId[pipeline.id]).toMatchObject({ status: 'pipeline', investedFen: null, exemption: null });
    expect(byId[held]).toMatchObject({ status: 'invested', investedFen: 100_000_000, proceedsFen: null });
    expect(byId[loss]).toMatchObject({
      status: 'loss_realised',
      realisedLossFen: 60_000_000,
      exemption: { status: 'pending', outcome: null, lossTier: 'general' },
    });
    expect(byId[gain]).toMatchObject({ status: 'exited', state: 'closed', realisedGainFen: 50_000_000, exemption: null });
    // The same figures as GET /api/funds/:id (gross realised losses ÷ capital invested).
    const { auth } = await t.as('auditor_1');
    const fund = await t.http().get(`/api/funds/${fundId}`).set(auth);
    expect(fund.body.tolerance).toMatchObject({ investedFen: 300_000_000, realizedLossFen: 60_000_000, lossRate: 0.2 });

    // The loss-making case's record says prominently that the fund is within its tolerance.
    const record = await x.record(loss);
    expect(Object.keys(record.body).indexOf('tolerancePresumption')).toBeLessThan(Object.keys(record.body).indexOf('criteria'));
    expect(record.body.tolerancePresumption).toEqual({
      applies: true,
      statement: expect.stringMatching(
        /^PRESUMPTION OF TOLERANCE: the fund is within its loss tolerance over its whole life \(realised losses 20\.00% of capital invested, tolerance 50\.00%/,
      ),
      statementZh: expect.stringMatching(/^容亏推定/),
    });

    // As of the moment the held case was funded: only it and the pipeline case existed, nothing realised.
    const before = await evaluation(fundId, heldAt);
    expect(before.status).toBe(200);
    expect(before.body).toMatchObject({
      basis: 'history',
      asOf: heldAt,
      investedFen: 100_000_000,
      realisedLossFen: 0,
      exemptions: { pendingReviews: 0 },
      presumption: { lossMakingProjects: 0, applies: false },
    });
    expect(before.body.projects.map((p: { caseId: string; status: string }) => [p.caseId, p.status])).toEqual([
      [pipeline.id, 'pipeline'],
      [held, 'invested'],
    ]);
  });

  it('over its tolerance: no presumption, on the evaluation and on the review record', async () => {
    const fundId = await x.createFund('buyout'); // tolerance 20%
    const loss = await x.review({ fundId, amountFen: 100_000_000, proceedsFen: 40_000_000 });
    const r = await evaluation(fundId);
    expect(r.body).toMatchObject({ lossRateGross: 0.6, withinTolerance: false, presumption: { lossMakingProjects: 1, applies: false } });
    expect(r.body.presumption.statement).toMatch(/over its loss tolerance/);
    expect((await x.record(loss)).body.tolerancePresumption).toMatchObject({
      applies: false,
      statement: expect.stringMatching(/no presumption/),
    });
  });

  it('takes a date as the close of that day, and refuses a future moment, a bad value and an unknown fund', async () => {
    const fundId = await x.createFund('seed');
    const day = await evaluation(fundId, '2026-01-31');
    expect(day.status).toBe(200);
    expect(day.body).toMatchObject({ asOf: '2026-01-31T15:59:59.999Z', investedFen: 0, projects: [] });
    const future = await evaluation(fundId, '2999-01-01T00:00:00Z');
    expect(future.status).toBe(400);
    expect(future.body.message).toMatch(/lies in the future/);
    for (const bad of ['yesterday', '2026-02-30', '2026-13-01T00:00:00Z']) {
      const r = await evaluation(fundId, bad);
      expect(r.status).toBe(400);
      expect(r.body.messageZh).toEqual(expect.any(String));
    }
    const { auth } = await t.as('auditor_1');
    expect((await t.http().get('/api/funds/00000000-0000-4000-8000-000000000000/evaluation').set(auth)).status).toBe(404);
  });
});
