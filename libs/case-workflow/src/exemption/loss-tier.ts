/** One loss-size tier (损失等级) of the loss-tier policy (config/exemption/loss-tiers.yaml). */
export interface LossTierDefinition {
  code: string;
  titleZh: string;
  titleEn: string;
  /** The smallest loss in this tier, in fen; the first tier starts at 0. */
  minFen: number;
  description: string;
}

/** The loss tiers in force when a review opens; frozen into the review. */
export interface LossTierPolicy {
  version: string;
  /** The published rule the thresholds come from. */
  source: string;
  tiers: LossTierDefinition[];
}

/**
 * SASAC Order No. 46's thresholds (under 5 million yuan 一般, 5 to 50 million 较大, 50 million and over
 * 重大), as the code applied them before the tiers became policy: used for reviews opened before the
 * policy was frozen into each review.
 */
export const ORDER_46_LOSS_TIERS: LossTierPolicy = {
  version: 'order-46-built-in',
  source: 'SASAC Order No. 46 (国资委令第46号), as built into the code before loss-tiers-2026.1',
  tiers: [
    { code: 'general', titleZh: '一般', titleEn: 'general', minFen: 0, description: 'under 5 million yuan' },
    { code: 'major', titleZh: '较大', titleEn: 'major', minFen: 500_000_000, description: '5 million yuan up to 50 million yuan' },
    { code: 'grave', titleZh: '重大', titleEn: 'grave', minFen: 5_000_000_000, description: '50 million yuan and over' },
  ],
};

/** The default tiers (Order No. 46), for code that has no review at hand; a review uses the tiers frozen into it. */
export const LOSS_TIERS: readonly LossTierDefinition[] = ORDER_46_LOSS_TIERS.tiers;
/** A tier code of the loss-tier policy (default: general, major, grave). */
export type LossTierCode = string;
export type LossTier = LossTierDefinition;

/** Why a loss-tier policy cannot be used, or null: tiers from 0, strictly rising, unique codes. */
export function lossTierPolicyProblem(tiers: LossTierDefinition[]): string | null {
  if (tiers.length === 0) return 'at least one tier is needed';
  if (tiers[0].minFen !== 0) return `the first tier (${tiers[0].code}) must start at minFen 0`;
  for (let i = 1; i < tiers.length; i++) {
    if (tiers[i].minFen <= tiers[i - 1].minFen)
      return `tier ${tiers[i].code} must start above tier ${tiers[i - 1].code} (minFen rises strictly)`;
  }
  const codes = new Set(tiers.map((t) => t.code));
  if (codes.size !== tiers.length) return 'tier codes must be unique';
  return null;
}

/** The tier a loss falls in: the last one whose minFen it reaches. */
export function lossTier(lossFen: number, policy: LossTierPolicy = ORDER_46_LOSS_TIERS): LossTierDefinition {
  let tier = policy.tiers[0];
  for (const t of policy.tiers) if (lossFen >= t.minFen) tier = t;
  return tier;
}

export interface LossFigures {
  investedFen: number;
  proceedsFen: number;
  lossFen: number;
  /** lossFen ÷ investedFen, 6 decimals. */
  lossRate: number;
  /** The loss's tier under the policy frozen into the review, and that policy's version. */
  tier: { code: string; titleZh: string; titleEn: string; description: string; policyVersion: string };
  /** The fund type's per-project ceiling, and whether this loss is within it (null when unknown). */
  perProjectCeiling: number | null;
  withinProjectCeiling: boolean | null;
}

/** The case's realised loss, its tier and its place against the per-project ceiling. Integer fen. */
export function lossFigures(
  investedFen: number,
  proceedsFen: number,
  perProjectCeiling: number | null,
  policy: LossTierPolicy = ORDER_46_LOSS_TIERS,
): LossFigures {
  const lossFen = Math.max(0, investedFen - proceedsFen);
  const { code, titleZh, titleEn, description } = lossTier(lossFen, policy);
  const within =
    perProjectCeiling === null ? null : BigInt(lossFen) * 1_000_000n <= BigInt(Math.round(perProjectCeiling * 1e6)) * BigInt(investedFen);
  return {
    investedFen,
    proceedsFen,
    lossFen,
    lossRate: investedFen > 0 ? Math.round((lossFen / investedFen) * 1e6) / 1e6 : 0,
    tier: { code, titleZh, titleEn, description, policyVersion: policy.version },
    perProjectCeiling,
    withinProjectCeiling: within,
  };
}
