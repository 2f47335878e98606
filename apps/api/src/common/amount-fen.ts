import { IsInt, Max, Min, type ValidationArguments } from 'class-validator';
import { MAX_AMOUNT_FEN } from '@app/case-workflow';

/**
 * An amount of money in integer fen, from `min` to MAX_AMOUNT_FEN (one trillion yuan): above it a 400,
 * so that no realistic sum of amounts passes 2^53 fen (libs/case-workflow/src/money.ts).
 */
export function IsAmountFen(min: number): PropertyDecorator {
  return (target, key) => {
    IsInt({ message: `${String(key)} must be a whole number of fen` })(target, key);
    Min(min)(target, key);
    Max(MAX_AMOUNT_FEN, {
      message: (a: ValidationArguments) =>
        `${a.property} must be at most ${MAX_AMOUNT_FEN} fen (one trillion yuan, 1 万亿元), the largest single amount accepted`,
    })(target, key);
  };
}
