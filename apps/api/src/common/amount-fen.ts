import { ApiResponse } from '@nestjs/swagger';
import { IsInt, Max, Min, type ValidationArguments } from 'class-validator';
import { MAX_AMOUNT_FEN } from '@app/case-workflow';
import { ErrorBodyDto } from '../errors/error-body';

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

/** Documents the 422 of a route that reports summed money: a total above 2^53 − 1 fen is refused, never rounded. */
export const ApiExactTotals = () =>
  ApiResponse({
    status: 422,
    description:
      'A summed figure comes to more than 2^53 − 1 fen (possible only with amounts recorded before the single-amount cap): refused rather than rounded; the message names the total.',
    type: ErrorBodyDto,
  });
