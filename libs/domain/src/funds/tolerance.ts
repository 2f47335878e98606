import type { FundType, TolerancePolicy } from '@app/case-workflow';

export interface FundTolerance {
  policyVersion: string;
  /** The fund type's loss-tolerance rate (容亏率) over its life, as a fraction. */
  limitRate: number;
  /** The per-project loss ceiling, as a fraction of the amount invested in a project. */
  perProjectCeiling: number;
  investedFen: number;
  realizedLossFen: number;
  /** realizedLossFen ÷ investedFen over the fund's whole life (0 before anything is invested). */
  lossRate: number;
  withinTolerance: boolean;
}

/** The fund's life-to-date loss rate against its type's tolerance. Pure; compared in integers. */
export function computeTolerance(type: FundType, policy: TolerancePolicy, figures: { investedFen: number; realizedLossFen: number }): FundTolerance {
  const limitRate = policy.limitRate[type];
  const { investedFen, realizedLossFen } = figures;
  const lossRate = investedFen > 0 ? realizedLossFen / investedFen : 0;
  // Compare loss ≤ limit × invested without dividing, to avoid rounding at the boundary.
  const withinTolerance = realizedLossFen * 1e6 <= Math.round(limitRate * 1e6) * investedFen;
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
