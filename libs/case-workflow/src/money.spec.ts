import { DomainErrorCode, DomainException } from './domain.exception';
import { exactFen, MAX_AMOUNT_FEN, sumFen } from './money';

const what = { en: "The fund's capital invested", zh: '基金累计投资' };

describe('exact sums of money (fen)', () => {
  it('adds exactly up to 2^53 − 1 fen, from numbers, BigInts and SQL numeric text', () => {
    expect(sumFen(what, [Number.MAX_SAFE_INTEGER - 1, 1])).toBe(Number.MAX_SAFE_INTEGER);
    expect(sumFen(what, ['4503599627370497', 4503599627370494n])).toBe(Number.MAX_SAFE_INTEGER);
    expect(sumFen(what, [])).toBe(0);
  });

  it('refuses (422) a sum above Number.MAX_SAFE_INTEGER instead of rounding it (…381 read back as …380)', () => {
    const a = 4503599627370497;
    const b = 4503599627370884;
    expect(a + b).toBe(9007199254741380); // what plain numbers give: rounded
    let thrown: unknown;
    try {
      sumFen(what, [a, b]);
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(DomainException);
    const e = thrown as DomainException;
    expect(e.code).toBe(DomainErrorCode.RuleViolated);
    expect(e.message).toMatch(/capital invested comes to 9007199254741381 fen, above 9007199254740991 fen/);
    expect(e.details).toEqual({ totalFen: '9007199254741381', maxSafeFen: Number.MAX_SAFE_INTEGER });
    expect(e.messageZh).toMatch(/基金累计投资合计 9007199254741381 分/);
    expect(() => exactFen(what, 9007199254740992n)).toThrow(DomainException);
  });

  it('caps single amounts so that no realistic sum passes 2^53 fen: about ninety at the cap', () => {
    expect(MAX_AMOUNT_FEN).toBe(1e14);
    expect(Math.floor(Number.MAX_SAFE_INTEGER / MAX_AMOUNT_FEN)).toBe(90);
    expect(sumFen(what, Array(90).fill(MAX_AMOUNT_FEN))).toBe(9e15);
    expect(() => sumFen(what, Array(91).fill(MAX_AMOUNT_FEN))).toThrow(/above 9007199254740991 fen/);
  });
});
