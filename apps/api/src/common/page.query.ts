import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';

/**
 * The keyset-paging fields every list query shares (`limit`, `cursor`), as a base class made for a
 * list's page size: `class ListThingsQuery extends PageQuery(50, 200) { …filters }`.
 */
export function PageQuery(defaultLimit: number, maxLimit: number) {
  class Page {
    @ApiPropertyOptional({ minimum: 1, maximum: maxLimit, default: defaultLimit })
    @IsOptional()
    @Type(() => Number)
    @IsInt({ message: 'limit must be a whole number' })
    @Min(1)
    @Max(maxLimit)
    limit: number = defaultLimit;

    @ApiPropertyOptional({ description: 'The nextCursor of the previous page.' })
    @IsOptional()
    @IsString()
    @MaxLength(200)
    cursor?: string;
  }
  return Page;
}
