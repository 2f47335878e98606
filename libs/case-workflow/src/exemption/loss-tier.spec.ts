import { lossFigures, lossTier } from './loss-tier';

describe('Order No. 46 loss tiers', () => {
  it.each([
    [0, 'general'],
    [499_999_999, 'general'],
    [500_000_000, 'major'],
    [4_999_999_999, 'major'],
    [5_000_000_000, 'grave'],
    [900_000_000_000, 'grave'],
  ])('%i fen is %s', (fen, code) => expect(lossTier(fen).code).toBe(code));

  it('computes the loss, its rate and the per-project ceiling in integers', () => {
    expect(lossFigures(1_000_000_000, 400_000_000, 1)).toEqual({
      investedFen: 1_000_000_000,
      proceedsFen: 400_000_000,
      lossFen: 600_000_000,
      lossRate: 0.6,
      tier: { code: 'major', titleZh: '较大', titleEn: 'major', description: '5 million yuan up to 50 million yuan' },
      perProjectCeiling: 1,
      withinProjectCeiling: true,
    });
    expect(lossFigures(1_000, 0, 0.5)).toMatchObject({
      lossFen: 1_000,
      withinProjectCeiling: false,
      tier: { code: 'general', titleZh: '一般' },
    });
    expect(lossFigures(9_000_000_000_000, 0, 1).withinProjectCeiling).toBe(true);
  });
});
