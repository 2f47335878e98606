import { Controller, Get, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { TransactionRunner } from '@app/persistence';
import { Public } from '../auth/auth.decorators';

class HealthDto {
  @ApiProperty({ example: 'ok', enum: ['ok', 'degraded'] }) status!: string;
  @ApiProperty({ example: 'up', enum: ['up', 'down'] }) db!: string;
}

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(private readonly tx: TransactionRunner) {}

  @Public()
  @Get()
  @ApiOperation({ summary: 'Liveness and database check (no token needed).' })
  @ApiOkResponse({ type: HealthDto })
  @ApiServiceUnavailableResponse({ type: HealthDto, description: 'The database is unreachable.' })
  async health(@Res({ passthrough: true }) res: FastifyReply): Promise<HealthDto> {
    try {
      await Promise.race([this.tx.ping(), new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), 3000).unref())]);
      return { status: 'ok', db: 'up' };
    } catch {
      void res.status(503);
      return { status: 'degraded', db: 'down' };
    }
  }
}
