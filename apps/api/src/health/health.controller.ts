import { Controller, Get, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { DatabaseHealth } from '@app/persistence';
import { Public } from '../auth/auth.decorators';

/** How long each step of the check (the pool, then a connection of its own) may wait. */
const HEALTH_WAIT_MS = 2000;

class HealthDto {
  @ApiProperty({ example: 'ok', enum: ['ok', 'degraded'] }) status!: string;
  @ApiProperty({ example: 'up', enum: ['up', 'down'], description: 'Whether the database answers.' }) db!: string;
  @ApiProperty({
    example: 'ok',
    enum: ['ok', 'exhausted'],
    description:
      "exhausted: the database answers, but every one of this process's connections is busy (a held lock, a slow query): still 200 (the process and the database are alive), with status degraded.",
  })
  pool!: string;
}

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(private readonly database: DatabaseHealth) {}

  @Public()
  @Get()
  @ApiOperation({ summary: 'Liveness and database check (no token needed).' })
  @ApiOkResponse({ type: HealthDto })
  @ApiServiceUnavailableResponse({ type: HealthDto, description: 'The database is unreachable (the contract: 503 only then).' })
  async health(@Res({ passthrough: true }) res: FastifyReply): Promise<HealthDto> {
    const { db, pool } = await this.database.check(HEALTH_WAIT_MS);
    if (db === 'up') return { status: pool === 'ok' ? 'ok' : 'degraded', db, pool };
    void res.status(503).header('retry-after', '5');
    return { status: 'degraded', db, pool };
  }
}
