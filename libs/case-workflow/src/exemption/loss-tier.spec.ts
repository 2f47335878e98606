import { lossFigures, lossTier, lossTierPolicyProblem, ORDER_46_LOSS_TIERS, type LossTierPolicy } from './loss-tier';

describe('loss tiers (policy; default Order No. 46)', () => {
  it.each([
    [0, 'general'],
    [499_999_999, 'general'],
    [500_000_000, 'major'],
    [4_999_999_999, 'major'],
    [5_000_000_000, 'grave'],
    [900_000_000_000, 'grave'],
  ])('%i fen is %s under the default thresholds', (fen, code) => expect(lossTier(fen).code).toBe(code));

  it('uses the policy it is given: a provincial file with its own thresholds', () => {
    const provincial: LossTierPolicy = {
      version: 'province-2026.1',
      source: 'a provincial SASAC rule',
      tiers: [
        { code: 'general', titleZh: '一般', titleEn: 'general', minFen: 0, description: 'under 1 million yuan' },
        { code: 'major', titleZh: '较大', titleEn: 'major', minFen: 100_000_000, description: '1 to 10 million yuan' },
        { code: 'grave', titleZh: '重大', titleEn: 'grave', minFen: 1_000_000_000, description: '10 million yuan and over' },
      ],
    };
    expect(lossTier(200_000_000, provincial).code).toBe('major');
    expect(lossTier(200_000_000).code).toBe('general');
    expect(lossFigures(3_000_000_000, 0, null, provincial).tier).toEqual({
      code: 'grave',
      titleZh: '重大',
      titleEn: 'grave',
      description: '10 million yuan and over',
      policyVersion: 'province-2026.1',
    });
  });

  it('refuses a policy without a tier from 0, with thresholds that do not rise, or repeated codes', () => {
    const t = (code: string, minFen: number) => ({ code, titleZh: code, titleEn: code, minFen, description: code });
    expect(lossTierPolicyProblem(ORDER_46_LOSS_TIERS.tiers)).toBeNull();
    expect(lossTierPolicyProblem([])).toMatch(/at least one/);
    expect(lossTierPolicyProblem([t('a', 5)])).toMatch(/start at minFen 0/);
    expect(lossTierPolicyProblem([t('a', 0), t('b', 10), t('c', 10)])).toMatch(/rises strictly/);
    expect(lossTierPolicyProblem([t('a', 0), t('a', 10)])).toMatch(/unique/);
  });

  it('computes the loss, its rate and the per-project ceiling in integers', () => {
    expect(lossFigures(1_000_000_000, 400_000_000, 1)).toEqual({
      investedFen: 1_000_000_000,
      proceedsFen: 400_000_000,
      lossFen: 600_000_000,
      lossRate: 0.6,
      tier: {
        code: 'major',
        titleZh: '较大',
        titleEn: 'major',
        description: '5 million yuan up to 50 million yuan',
        policyVersion: 'order-46-built-in',
      },
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
