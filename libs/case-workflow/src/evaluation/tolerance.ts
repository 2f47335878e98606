import type { FundToleranceFigures, FundType, TolerancePolicy } from '../policy.types';

const SCALE = 1_000_000n;

/**
 * part ≤ limit × whole, compared in integers: fen figures × 10^6 exceed 2^53 from about 90 million
 * yuan, so the rate is never compared as a float.
 */
export const withinLimit = (part: number, whole: number, limit: number): boolean =>
  BigInt(part) * SCALE <= BigInt(Math.round(limit * 1e6)) * BigInt(whole);

/** The fund's life-to-date (gross) loss rate against its type's tolerance, as every exemption decision freezes it. Pure. */
export function computeTolerance(
  type: FundType,
  policy: TolerancePolicy,
  figures: { investedFen: number; realizedLossFen: number },
): FundToleranceFigures {
  const limitRate = policy.limitRate[type];
  const { investedFen, realizedLossFen } = figures;
  const lossRate = investedFen > 0 ? realizedLossFen / investedFen : 0;
  return {
    policyVersion: policy.version,
    limitRate,
    perProjectCeiling: policy.perProjectCeiling[type],
    investedFen,
    realizedLossFen,
    lossRate: Math.round(lossRate * 1e6) / 1e6,
    withinTolerance: withinLimit(realizedLossFen, investedFen, limitRate),
  };
}
