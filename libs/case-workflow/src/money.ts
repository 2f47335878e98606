import { DomainErrorCode, DomainException } from './domain.exception';

/**
 * The largest single amount of money the API accepts, in fen: 10^14 fen, one trillion yuan
 * (1 万亿元), about three times the largest Chinese state fund ever set up (the third national
 * integrated-circuit fund, 3,440 亿元). A request above it is a 400. With this cap a sum can reach
 * 2^53 fen (`Number.MAX_SAFE_INTEGER`, the largest integer a JSON number carries exactly) only
 * after some ninety amounts at the cap in one fund; `sumFen` refuses such a sum rather than round it.
 */
export const MAX_AMOUNT_FEN = 100_000_000_000_000;

/** What a total is, for the refusal's sentence: `{ en: "The fund's capital invested", zh: '基金累计投资' }`. */
export interface MoneyTotal {
  en: string;
  zh: string;
}

/**
 * A total of integer fen, exact: summed as BigInt (a SQL `SUM` arrives as numeric text), and refused
 * with a 422 naming `what` when it is above `Number.MAX_SAFE_INTEGER`, where a number would be
 * silently rounded (…381 read back as …380).
 */
export function sumFen(what: MoneyTotal, amounts: Iterable<number | bigint | string>): number {
  let total = 0n;
  for (const a of amounts) total += BigInt(a);
  return exactFen(what, total);
}

/** The total as a number when it is exact, else the 422 of `sumFen`. */
export function exactFen(what: MoneyTotal, total: bigint): number {
  if (total <= BigInt(Number.MAX_SAFE_INTEGER) && total >= BigInt(Number.MIN_SAFE_INTEGER)) return Number(total);
  throw new DomainException(
    DomainErrorCode.RuleViolated,
    `${what.en} comes to ${total} fen, above ${Number.MAX_SAFE_INTEGER} fen (2^53 − 1), the largest total the API reports exactly; it is refused rather than rounded. Single amounts are capped at ${MAX_AMOUNT_FEN} fen, so only amounts recorded before that cap can add up to this: ask an administrator to check the fund's cases.`,
    { totalFen: String(total), maxSafeFen: Number.MAX_SAFE_INTEGER },
    `${what.zh}合计 ${total} 分，超过 API 可精确表示的上限 ${Number.MAX_SAFE_INTEGER} 分（2^53 − 1），为免舍入误差不予返回；单笔金额上限为 ${MAX_AMOUNT_FEN} 分，请管理员核查该基金的项目数据。`,
  );
}
