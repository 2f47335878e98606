import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsInt, IsString, Max, MaxLength, Min, MinLength } from 'class-validator';
import { FUND_TYPES, MAX_AMOUNT_FEN, type FundType } from '@app/case-workflow';
import { IsAmountFen } from '../common/amount-fen';

export class CreateFundDto {
  @ApiProperty({ example: '陕西科技成果转化种子基金' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name!: string;

  @ApiProperty({ enum: FUND_TYPES, description: 'seed 种子, angel 天使, venture 创投, industry 产业, buyout 并购' })
  @IsIn(FUND_TYPES)
  type!: FundType;

  @ApiProperty({
    description: `Fund size in fen (1 CNY = 100 fen), at most ${MAX_AMOUNT_FEN} (one trillion yuan).`,
    example: 50_000_000_000,
    minimum: 1,
    maximum: MAX_AMOUNT_FEN,
  })
  @IsAmountFen(1)
  sizeFen!: number;

  @ApiProperty({ example: 2025 })
  @IsInt()
  @Min(1990)
  @Max(2100)
  vintageYear!: number;

  @ApiProperty({ example: 10 })
  @IsInt()
  @Min(1)
  @Max(30)
  termYears!: number;
}

export class ToleranceDto {
  @ApiProperty({ example: 'tolerance-2026.1' }) policyVersion!: string;
  @ApiProperty({ description: 'Loss-tolerance rate (容亏率) of the fund type, as a fraction.', example: 0.7 }) limitRate!: number;
  @ApiProperty({
    description: 'Per-project loss ceiling, as a fraction; null where the policy sets none.',
    example: 1,
    nullable: true,
    type: Number,
  })
  perProjectCeiling!: number | null;
  @ApiProperty({ description: 'Capital invested over the fund life, fen.' }) investedFen!: number;
  @ApiProperty({ description: 'Realised losses of exited or written-off cases, fen.' }) realizedLossFen!: number;
  @ApiProperty({ description: 'realizedLossFen ÷ investedFen over the fund life.' }) lossRate!: number;
  @ApiProperty() withinTolerance!: boolean;
}

export class FundDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: FUND_TYPES }) type!: string;
  @ApiProperty() sizeFen!: number;
  @ApiProperty() vintageYear!: number;
  @ApiProperty() termYears!: number;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ type: ToleranceDto }) tolerance!: ToleranceDto;
}
