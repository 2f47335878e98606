import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';
import { PROJECT_STATUSES } from '@app/case-workflow';
import { IsAcceptedDate } from '../common/date-range';

const N = { nullable: true } as const;

export class FundEvaluationQuery {
  @ApiPropertyOptional({
    description:
      'Evaluate the fund as it stood at this moment: an ISO-8601 timestamp with a time zone, or a date (YYYY-MM-DD, meaning the close of that day, China Standard Time). Default: now.',
    example: '2026-09-30',
  })
  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2}))?$/, {
    message: 'asOf must be a date (2026-09-30) or an ISO-8601 timestamp with a time zone (2026-09-30T12:00:00Z)',
  })
  @IsAcceptedDate()
  asOf?: string;
}

export class ProjectExemptionDto {
  @ApiProperty({
    enum: ['pending', 'decided', 'concluded'],
    description: 'pending: no decision yet; decided: under public notice; concluded.',
  })
  status!: string;
  @ApiProperty({ ...N, enum: ['exempt', 'partial', 'not_exempt'], type: String }) outcome!: string | null;
  @ApiProperty({ ...N, format: 'date-time', type: String }) decidedAt!: string | null;
  @ApiProperty({ example: 'general' }) lossTier!: string;
}

export class ProjectEvaluationDto {
  @ApiProperty({ format: 'uuid' }) caseId!: string;
  @ApiProperty() companyName!: string;
  @ApiProperty({ example: 'monitoring' }) state!: string;
  @ApiProperty({ enum: PROJECT_STATUSES }) status!: string;
  @ApiProperty({ ...N, type: Number }) investedFen!: number | null;
  @ApiProperty({ ...N, type: Number }) proceedsFen!: number | null;
  @ApiProperty() realisedGainFen!: number;
  @ApiProperty() realisedLossFen!: number;
  @ApiProperty({ ...N, type: String }) exitChannel!: string | null;
  @ApiProperty() writeOff!: boolean;
  @ApiProperty({ ...N, format: 'date-time', type: String }) exitedAt!: string | null;
  @ApiProperty({ ...N, type: ProjectExemptionDto }) exemption!: ProjectExemptionDto | null;
}

export class ExemptionOutcomeCountsDto {
  @ApiProperty() exempt!: number;
  @ApiProperty() partial!: number;
  @ApiProperty() not_exempt!: number;
}

export class FundExemptionsDto {
  @ApiProperty({ type: ExemptionOutcomeCountsDto }) outcomes!: ExemptionOutcomeCountsDto;
  @ApiProperty({ description: 'Reviews open without a decision.' }) pendingReviews!: number;
  @ApiProperty({ description: 'Reviews decided and still under public notice.' }) underNotice!: number;
  @ApiProperty() concluded!: number;
}

export class PresumptionDto {
  @ApiProperty() lossMakingProjects!: number;
  @ApiProperty({ description: 'The fund is within its tolerance: its loss-making projects are presumed tolerated.' }) applies!: boolean;
  @ApiProperty() statement!: string;
  @ApiProperty() statementZh!: string;
}

export class FundEvaluationDto {
  @ApiProperty({ format: 'uuid' }) fundId!: string;
  @ApiProperty() name!: string;
  @ApiProperty() type!: string;
  @ApiProperty() sizeFen!: number;
  @ApiProperty() vintageYear!: number;
  @ApiProperty() termYears!: number;
  @ApiProperty({ format: 'date-time' }) asOf!: string;
  @ApiProperty({ enum: ['live', 'history'], description: 'live: the current records; history: rebuilt from the history up to asOf.' })
  basis!: string;
  @ApiProperty({ example: 'tolerance-2026.2' }) policyVersion!: string;
  @ApiProperty({ description: 'The fund type’s loss-tolerance rate (容亏率) over its life, as a fraction.' }) limitRate!: number;
  @ApiProperty() investedFen!: number;
  @ApiProperty() realisedLossFen!: number;
  @ApiProperty() realisedGainFen!: number;
  @ApiProperty() netLossFen!: number;
  @ApiProperty() lossRateGross!: number;
  @ApiProperty() lossRateNet!: number;
  @ApiProperty() withinToleranceGross!: boolean;
  @ApiProperty() withinToleranceNet!: boolean;
  @ApiProperty({ description: 'The test the fund is held to: gross (as GET /api/funds and exemption decisions).' })
  withinTolerance!: boolean;
  @ApiProperty({ type: [ProjectEvaluationDto] }) projects!: ProjectEvaluationDto[];
  @ApiProperty({ type: FundExemptionsDto }) exemptions!: FundExemptionsDto;
  @ApiProperty({ type: PresumptionDto }) presumption!: PresumptionDto;
}
