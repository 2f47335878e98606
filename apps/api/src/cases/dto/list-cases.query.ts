import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsUUID, Matches } from 'class-validator';
import { PageQuery } from '../../common/page.query';
import { IsAcceptedDate } from '../../common/date-range';

export class ListCasesQuery extends PageQuery(50, 200) {
  @ApiPropertyOptional({ description: 'A state or a parent state (exemptionReview matches all its sub-states).', example: 'committee' })
  @IsOptional()
  @Matches(/^[A-Za-z]+(\.[A-Za-z]+)?$/, { message: 'state must be a state name such as committee or exemptionReview.verification' })
  state?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all', { message: 'fundId must be a UUID' })
  fundId?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all', { message: 'ownerId must be a UUID' })
  ownerId?: string;
}

export class AsOfQuery {
  @ApiPropertyOptional({
    description: 'Show the case as it stood at this moment (ISO-8601), rebuilt from its history.',
    format: 'date-time',
  })
  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/, {
    message: 'asOf must be an ISO-8601 timestamp with a time zone, e.g. 2026-01-31T12:00:00Z',
  })
  @IsAcceptedDate()
  asOf?: string;
}
