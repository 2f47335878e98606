import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { TasksService, type AuthUser, type IdempotentRequest } from '@app/domain';
import { CASE_READERS } from '@app/case-workflow';
import { CurrentUser, Roles } from '../auth/auth.decorators';
import { TaskDto } from '../cases/dto/case.dto';
import { ApiAuth } from '../common/api-errors.decorator';
import { IdParamDto } from '../common/id-param.dto';
import { ListTasksQuery, TaskListDto } from './tasks.dto';
import { ApiIdempotencyKey, Idempotency } from '../idempotency/idempotency.interceptor';

@ApiTags('tasks')
@Controller('tasks')
export class TasksController {
  constructor(private readonly tasks: TasksService) {}

  @Get()
  @Roles(...CASE_READERS)
  @ApiOperation({ summary: 'The review queues the caller may see: overdue first, then by due time.' })
  @ApiOkResponse({ type: TaskListDto })
  @ApiAuth(400, 403)
  list(@CurrentUser() user: AuthUser, @Query() q: ListTasksQuery): Promise<TaskListDto> {
    return this.tasks.list(user, q);
  }

  @Post(':id/claim')
  @ApiIdempotencyKey()
  @HttpCode(200)
  @Roles(...CASE_READERS)
  @ApiOperation({ summary: 'Claim a task of one of your queues (409 if someone else holds it).' })
  @ApiOkResponse({ type: TaskDto })
  @ApiAuth(400, 403, 404, 409)
  claim(@CurrentUser() user: AuthUser, @Param() { id }: IdParamDto, @Idempotency() idem?: IdempotentRequest): Promise<TaskDto> {
    return this.tasks.claim(user, id, idem);
  }

  @Post(':id/release')
  @ApiIdempotencyKey()
  @HttpCode(200)
  @Roles(...CASE_READERS)
  @ApiOperation({ summary: 'Release a task you hold back to its queue (409 if you do not hold it).' })
  @ApiOkResponse({ type: TaskDto })
  @ApiAuth(400, 403, 404, 409)
  release(@CurrentUser() user: AuthUser, @Param() { id }: IdParamDto, @Idempotency() idem?: IdempotentRequest): Promise<TaskDto> {
    return this.tasks.release(user, id, idem);
  }
}
