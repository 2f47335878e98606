import { countdown, cstToIso, formatDateTime, formatMoney, fromFen, toFen } from '../../apps/console/src/lib/format';

describe('console formatting (money in 元/万元 as fen, China Standard Time)', () => {
  it('turns typed 万元 and 元 into exact fen and back', () => {
    expect(toFen('3000.5', 'wan')).toBe(3_000_500_000);
    expect(toFen('0.000001', 'wan')).toBe(1);
    expect(toFen('12.34', 'yuan')).toBe(1234);
    expect(toFen('0.1', 'wan')).toBe(100_000);
    expect(toFen('1.001', 'yuan')).toBeNull();
    expect(toFen('0.0000001', 'wan')).toBeNull();
    expect(toFen('abc', 'wan')).toBeNull();
    expect(toFen('', 'wan')).toBeNull();
    expect(fromFen(3_000_500_000, 'wan')).toBe('3000.5');
    expect(fromFen(1234, 'yuan')).toBe('12.34');
  });

  it('shows money in 万元 (Chinese, from 1 万元) or CNY (English)', () => {
    expect(formatMoney(3_000_500_000, 'zh-CN')).toBe('3,000.50 万元');
    expect(formatMoney(12_345, 'zh-CN')).toBe('123.45 元');
    expect(formatMoney(3_000_500_000, 'en')).toBe('CNY 30,005,000.00');
    expect(formatMoney(null, 'en')).toBe('—');
  });

  it('shows and reads times in China Standard Time (UTC+8)', () => {
    expect(formatDateTime('2026-01-31T16:30:00.000Z')).toBe('2026-02-01 00:30');
    expect(cstToIso(2026, 2, 1, 0, 30)).toBe('2026-01-31T16:30:00.000Z');
  });

  it('counts down to a due time and marks it overdue once past', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(countdown('2026-01-02T03:00:00Z', now, 'zh-CN')).toEqual({ overdue: false, text: '剩余 1天 3小时' });
    expect(countdown('2025-12-31T23:30:00Z', now, 'en')).toEqual({ overdue: true, text: '30m overdue' });
  });
});
