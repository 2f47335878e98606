/**
 * Loss-size tiers of SASAC Order No. 46 (国资委令第46号), recorded on every exemption review: under
 * 5 million yuan 一般, 5 to 50 million 较大, 50 million and over 重大. Thresholds in fen.
 */
export const LOSS_TIERS = [
  { code: 'general', titleZh: '一般', titleEn: 'general', minFen: 0, description: 'under 5 million yuan' },
  { code: 'major', titleZh: '较大', titleEn: 'major', minFen: 500_000_000, description: '5 million yuan up to 50 million yuan' },
  { code: 'grave', titleZh: '重大', titleEn: 'grave', minFen: 5_000_000_000, description: '50 million yuan and over' },
] as const;

export type LossTierCode = (typeof LOSS_TIERS)[number]['code'];
export type LossTier = (typeof LOSS_TIERS)[number];

export function lossTier(lossFen: number): LossTier {
  let tier: LossTier = LOSS_TIERS[0];
  for (const t of LOSS_TIERS) if (lossFen >= t.minFen) tier = t;
  return tier;
}

export interface LossFigures {
  investedFen: number;
  proceedsFen: number;
  lossFen: number;
  /** lossFen ÷ investedFen, 6 decimals. */
  lossRate: number;
  tier: { code: LossTierCode; titleZh: string; titleEn: string; description: string };
  /** The fund type's per-project ceiling, and whether this loss is within it (null when unknown). */
  perProjectCeiling: number | null;
  withinProjectCeiling: boolean | null;
}

/** The case's realised loss, its Order No. 46 tier and its place against the per-project ceiling. Integer fen. */
export function lossFigures(investedFen: number, proceedsFen: number, perProjectCeiling: number | null): LossFigures {
  const lossFen = Math.max(0, investedFen - proceedsFen);
  const { code, titleZh, titleEn, description } = lossTier(lossFen);
  const within =
    perProjectCeiling === null ? null : BigInt(lossFen) * 1_000_000n <= BigInt(Math.round(perProjectCeiling * 1e6)) * BigInt(investedFen);
  return {
    investedFen,
    proceedsFen,
    lossFen,
    lossRate: investedFen > 0 ? Math.round((lossFen / investedFen) * 1e6) / 1e6 : 0,
    tier: { code, titleZh, titleEn, description },
    perProjectCeiling,
    withinProjectCeiling: within,
  };
}
