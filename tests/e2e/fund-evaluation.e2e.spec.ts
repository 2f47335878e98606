import { ExemptionDriver } from '../support/exemption-driver';
import { bootTestApp, type TestApp } from '../support/test-app';
import { asSuperuser } from '../support/test-database';

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
    // A future moment inside the accepted years (1990–2099); 2999 is refused earlier, by the date range.
    const future = await evaluation(fundId, '2099-01-01T00:00:00Z');
    expect(future.status).toBe(400);
    expect(future.body.message).toMatch(/lies in the future/);
    const farFuture = await evaluation(fundId, '2999-01-01T00:00:00Z');
    expect([farFuture.status, farFuture.body.message]).toEqual([400, expect.stringMatching(/check the year/)]);
    for (const bad of ['yesterday', '2026-02-30', '2026-13-01T00:00:00Z']) {
      const r = await evaluation(fundId, bad);
      expect(r.status).toBe(400);
      expect(r.body.messageZh).toEqual(expect.any(String));
    }
    const { auth } = await t.as('auditor_1');
    expect((await t.http().get('/api/funds/00000000-0000-4000-8000-000000000000/evaluation').set(auth)).status).toBe(404);
  });

  describe('money above 2^53 fen', () => {
    const a = 4503599627370497; // 2^52 + 1: each below Number.MAX_SAFE_INTEGER, their sum (…381) above it
    const b = 4503599627370884;

    it('a single amount above one trillion yuan (1e14 fen) is a 400 on case creation, fund creation and funding', async () => {
      const fundId = await x.createFund('venture');
      const { auth: manager } = await t.as('investment_manager_1');
      const create = await t
        .http()
        .post('/api/cases')
        .set(manager)
        .send({ fundId, companyName: 'Too Big Co', sector: 'chips', requestedAmountFen: a, summary: 'Above the cap.' });
      expect(create.status).toBe(400);
      expect(JSON.stringify(create.body)).toMatch(/requestedAmountFen must be at most 100000000000000 fen/);
      const { auth: admin } = await t.as('admin_1');
      const fund = await t
        .http()
        .post('/api/funds')
        .set(admin)
        .send({ name: `Huge ${Math.random()}`, type: 'seed', sizeFen: 100_000_000_000_001, vintageYear: 2026, termYears: 10 });
      expect(fund.status).toBe(400);
      // At the cap it is accepted.
      expect((await x.d.create('investment_manager_1', { fundId, requestedAmountFen: 100_000_000_000_000 })).requestedAmountFen).toBe(1e14);
      await expect(x.funded({ fundId, amountFen: a })).rejects.toThrow(/RECORD_FUNDING .* failed: 400 .*amountFen must be at most/);
    });

    it('figures recorded before the cap that sum past 2^53 fen are refused with a 422 naming the total, never rounded', async () => {
      const fundId = await x.createFund('venture');
      const one = await x.funded({ fundId, amountFen: 100_000_000 });
      const two = await x.funded({ fundId, amountFen: 100_000_000 });
      await asSuperuser(t.db.name, async (c) => {
        await c.query(`UPDATE cases SET invested_fen = $2 WHERE id = $1`, [one, String(a)]);
        await c.query(`UPDATE cases SET invested_fen = $2 WHERE id = $1`, [two, String(b)]);
      });
      const { auth } = await t.as('auditor_1');
      const res = await t.http().get(`/api/funds/${fundId}`).set(auth);
      expect([res.status, res.body.tolerance?.investedFen]).toEqual([422, undefined]);
      expect(res.body.message).toMatch(/capital invested comes to 9007199254741381 fen, above 9007199254740991 fen/);
      expect(res.body.messageZh).toMatch(/9007199254741381 分/);
    });
  });
});
