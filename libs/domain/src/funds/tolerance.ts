import type { FundToleranceFigures, FundType, TolerancePolicy } from '@app/case-workflow';

export type FundTolerance = FundToleranceFigures;

const SCALE = 1_000_000n;

/** The fund's life-to-date loss rate against its type's tolerance. Pure; compared in integers. */
export function computeTolerance(
  type: FundType,
  policy: TolerancePolicy,
  figures: { investedFen: number; realizedLossFen: number },
): FundTolerance {
  const limitRate = policy.limitRate[type];
  const { investedFen, realizedLossFen } = figures;
  const lossRate = investedFen > 0 ? realizedLossFen / investedFen : 0;
  // loss ≤ limit × invested, in BigInt: fen figures × 10^6 exceed 2^53 from about 90 million yuan.
  const withinTolerance = BigInt(realizedLossFen) * SCALE <= BigInt(Math.round(limitRate * 1e6)) * BigInt(investedFen);
  return {
    policyVersion: policy.version,
    limitRate,
    perProjectCeiling: policy.perProjectCeiling[type],
    investedFen,
    realizedLossFen,
    lossRate: Math.round(lossRate * 1e6) / 1e6,
    withinTolerance,
  };
}
