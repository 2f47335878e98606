import type { CaseContext, ExemptionContext } from '../case.types';
import { DomainException } from '../domain.exception';
import type { TolerancePolicy } from '../policy.types';
import { evaluateFund, tolerancePresumption, type EvaluatedCase } from './fund-evaluation';

const policy: TolerancePolicy = {
  version: 'tol-test',
  limitRate: { seed: 0.7, angel: 0.7, venture: 0.5, industry: 0.3, buyout: 0.2 },
  perProjectCeiling: { seed: 1, angel: 1, venture: null, industry: null, buyout: null },
};

const stamp = { by: 'u', at: '2026-06-01T00:00:00.000Z' };

function project(
  id: string,
  state: string,
  investedFen: number | null,
  proceedsFen: number | null,
  exemption: Partial<ExemptionContext> | null = null,
): EvaluatedCase {
  const ctx = {
    funding: investedFen === null ? null : { ...stamp, amountFen: investedFen, fundedAt: stamp.at },
    exit:
      proceedsFen === null
        ? null
        : { ...stamp, channel: proceedsFen === 0 ? null : 'transfer', proceedsFen, exitedAt: stamp.at, writeOff: proceedsFen === 0 },
    exemption: exemption ? ({ decision: null, conclusion: null, ...exemption } as ExemptionContext) : null,
  } as unknown as CaseContext;
  return { id, companyName: id, state, ctx };
}

const decided = (outcome: 'exempt' | 'partial' | 'not_exempt') =>
  ({ decision: { ...stamp, outcome, reasons: 'r', accountability: [], noticeEndsAt: stamp.at } }) as unknown as Partial<ExemptionContext>;

describe('whole-life evaluation of a fund', () => {
  it('adds capital, gross and net realised results, and places each project', () => {
    const e = evaluateFund('venture', policy, [
      project('draft', 'draft', null, null),
      project('no', 'rejected', null, null),
      project('held', 'monitoring', 100, null),
      project('leaving', 'exiting', 100, null),
      project('gain', 'closed', 100, 180),
      project('review', 'exemptionReview.verification', 100, 40, {}),
      project('noticed', 'exemptionReview.publicNotice', 100, 70, decided('partial')),
      project('done', 'closed', 100, 0, { ...decided('exempt'), conclusion: { ...stamp, note: null } }),
    ]);
    expect(e).toMatchObject({
      investedFen: 600,
      realisedLossFen: 60 + 30 + 100,
      realisedGainFen: 80,
      netLossFen: 110,
      lossRateGross: 0.316667,
      lossRateNet: 0.183333,
      withinTolerance: true,
      exemptions: { outcomes: { exempt: 1, partial: 1, not_exempt: 0 }, pendingReviews: 1, underNotice: 1, concluded: 1 },
      presumption: { lossMakingProjects: 3, applies: true },
    });
    expect(e.projects.map((p) => p.status)).toEqual([
      'pipeline',
      'rejected',
      'invested',
      'exiting',
      'exited',
      'loss_realised',
      'loss_realised',
      'loss_realised',
    ]);
    expect(e.projects[7]).toMatchObject({ writeOff: true, exemption: { status: 'concluded', outcome: 'exempt', lossTier: 'general' } });
  });

  it('holds the fund to the gross rate: gains set off only in the net figure', () => {
    // Loss 60 of 200 invested (30%) against a 20% buyout tolerance, a gain of 60 nets it to 0.
    const e = evaluateFund('buyout', policy, [project('a', 'closed', 100, 40, decided('exempt')), project('b', 'closed', 100, 160)]);
    expect(e).toMatchObject({
      lossRateGross: 0.3,
      lossRateNet: 0,
      withinToleranceGross: false,
      withinToleranceNet: true,
      withinTolerance: false,
    });
    expect(e.presumption).toMatchObject({ applies: false, statement: expect.stringMatching(/over its loss tolerance/) });
  });

  it('is exactly at the limit within it, compared in integers on large figures', () => {
    const e = evaluateFund('venture', policy, [project('a', 'closed', 900_000_000_000, 450_000_000_000)]);
    expect(e).toMatchObject({ lossRateGross: 0.5, withinTolerance: true });
    const over = evaluateFund('venture', policy, [project('a', 'closed', 900_000_000_000, 449_999_999_999)]);
    expect(over.withinTolerance).toBe(false);
  });

  it('an empty fund: nothing invested, no presumption', () => {
    expect(evaluateFund('seed', policy, [])).toMatchObject({
      investedFen: 0,
      lossRateGross: 0,
      withinTolerance: true,
      presumption: { applies: false },
    });
  });

  it('the review record’s presumption follows the fund’s tolerance figures', () => {
    const figures = {
      policyVersion: 'tol-test',
      limitRate: 0.5,
      perProjectCeiling: null,
      investedFen: 10,
      realizedLossFen: 2,
      lossRate: 0.2,
    };
    expect(tolerancePresumption({ ...figures, withinTolerance: true })).toMatchObject({
      applies: true,
      statement: expect.stringMatching(/^PRESUMPTION OF TOLERANCE: .*20\.00% .*50\.00%/),
    });
    expect(tolerancePresumption({ ...figures, withinTolerance: false }).applies).toBe(false);
  });

  it('sums exactly: totals above 2^53 fen are refused (422), never rounded', () => {
    // Amounts recorded before the single-amount cap (1e14 fen): their plain sum would round …381 to …380.
    expect(() =>
      evaluateFund('venture', policy, [
        project('a', 'monitoring', 4503599627370497, null),
        project('b', 'monitoring', 4503599627370884, null),
      ]),
    ).toThrow(/capital invested comes to 9007199254741381 fen/);
    expect(() =>
      evaluateFund('venture', policy, [project('a', 'closed', 4503599627370497, 0), project('b', 'closed', 4503599627370884, 0)]),
    ).toThrow(DomainException);
    const e = evaluateFund('venture', policy, [
      project('a', 'monitoring', 4503599627370497, null),
      project('b', 'monitoring', 4503599627370494, null),
    ]);
    expect(e.investedFen).toBe(Number.MAX_SAFE_INTEGER);
  });
});
