import { ApiProperty } from '@nestjs/swagger';
import { IsString, IsUUID, MaxLength, MinLength } from 'class-validator';
import { MAX_AMOUNT_FEN } from '@app/case-workflow';
import { IsAmountFen } from '../../common/amount-fen';

export class CreateCaseDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID('all', { message: 'fundId must be a UUID' })
  fundId!: string;

  @ApiProperty({ example: '西安光子芯片科技有限公司' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  companyName!: string;

  @ApiProperty({ example: 'semiconductors' })
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  sector!: string;

  @ApiProperty({
    description: `Requested investment in fen (1 CNY = 100 fen), at most ${MAX_AMOUNT_FEN} (one trillion yuan).`,
    example: 3_000_000_000,
    minimum: 1,
    maximum: MAX_AMOUNT_FEN,
  })
  @IsAmountFen(1)
  requestedAmountFen!: number;

  @ApiProperty({ example: 'Series A in a silicon-photonics start-up spun out of a provincial lab.' })
  @IsString()
  @MinLength(1)
  @MaxLength(10_000)
  summary!: string;
}
