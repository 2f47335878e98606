import { RecentCases } from './recent-cases';

const entry = (size: number) => ({ size });

describe('RecentCases', () => {
  it('forgets the least recently written case first, by count', () => {
    const recent = new RecentCases(2, 1_000_000);
    recent.set('a', entry(10));
    recent.set('b', entry(10));
    recent.set('a', entry(10)); // written again: now the newest
    recent.set('c', entry(10));
    expect([recent.get('a'), recent.get('b'), recent.get('c')].map(Boolean)).toEqual([true, false, true]);
  });

  it('keeps the snapshots within a byte budget and never keeps a very large one', () => {
    const recent = new RecentCases(100, 6_400);
    recent.set('big', entry(60)); // 120 bytes held > 6,400 / 64
    expect(recent.get('big')).toBeUndefined();
    for (let i = 0; i < 100; i++) recent.set(`c${i}`, entry(50)); // 100 bytes each
    const kept = Array.from({ length: 100 }, (_, i) => recent.get(`c${i}`)).filter(Boolean).length;
    expect(kept).toBe(64);
    expect(recent.get('c99')).toBeDefined();
    expect(recent.get('c0')).toBeUndefined();
    recent.forget('c99');
    expect(recent.get('c99')).toBeUndefined();
  });
});
