import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import {
  ApiBody,
  ApiCreatedResponse,
  ApiExtraModels,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import { CASE_ACTORS, CASE_CREATORS, CASE_READERS, type EventRequest } from '@app/case-workflow';
import { CasesService, type AuthUser, type IdempotentRequest } from '@app/domain';
import { CurrentUser, Roles } from '../auth/auth.decorators';
import { ApiAuth } from '../common/api-errors.decorator';
import { IdParamDto } from '../common/id-param.dto';
import { UuidParamPipe } from '../common/uuid-param.pipe';
import { AuditEntryDto, CaseDto, CaseListDto } from './dto/case.dto';
import { EVENT_DTOS } from './dto/case-events.dto';
import { CreateCaseDto } from './dto/create-case.dto';
import { EventBodyPipe } from './dto/event-body.pipe';
import { AsOfQuery, ListCasesQuery } from './dto/list-cases.query';
import { ApiIdempotencyKey, Idempotency } from '../idempotency/idempotency.interceptor';

const EVENT_CLASSES = Object.values(EVENT_DTOS);

@ApiTags('cases')
@Controller('cases')
export class CasesController {
  constructor(private readonly cases: CasesService) {}

  @Post()
  @ApiIdempotencyKey()
  @Roles(...CASE_CREATORS)
  @ApiOperation({ summary: 'Propose a case (investment_manager): state draft, version 1, the creator as owner.' })
  @ApiCreatedResponse({ type: CaseDto })
  @ApiAuth(400, 403)
  create(@CurrentUser() user: AuthUser, @Body() dto: CreateCaseDto, @Idempotency() idem?: IdempotentRequest): Promise<CaseDto> {
    return this.cases.create(user, dto, idem);
  }

  @Get()
  @Roles(...CASE_READERS)
  @ApiOperation({ summary: 'List cases, newest first, with filters and cursor pagination.' })
  @ApiOkResponse({ type: CaseListDto })
  @ApiAuth(400, 403)
  list(@CurrentUser() user: AuthUser, @Query() q: ListCasesQuery): Promise<CaseListDto> {
    return this.cases.list(user, q);
  }

  @Get(':id')
  @Roles(...CASE_READERS)
  @ApiOperation({ summary: 'One case with the events the caller could send now; with asOf, the case as it stood then.' })
  @ApiOkResponse({ type: CaseDto })
  @ApiAuth(400, 403, 404)
  get(@CurrentUser() user: AuthUser, @Param() { id }: IdParamDto, @Query() q: AsOfQuery): Promise<CaseDto> {
    return q.asOf ? this.cases.asOf(user, id, new Date(q.asOf)) : this.cases.get(user, id);
  }

  @Post(':id/events')
  @ApiIdempotencyKey()
  @HttpCode(200)
  @Roles(...CASE_ACTORS)
  @ApiOperation({
    summary: 'Send one workflow event. One event is one transaction: state, version + 1, history entry and tasks together.',
  })
  @ApiExtraModels(...EVENT_CLASSES)
  @ApiBody({
    schema: {
      oneOf: EVENT_CLASSES.map((c) => ({ $ref: getSchemaPath(c) })),
      discriminator: {
        propertyName: 'type',
        mapping: Object.fromEntries(Object.entries(EVENT_DTOS).map(([type, c]) => [type, getSchemaPath(c)])),
      },
    },
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: CaseDto })
  @ApiAuth(400, 403, 404, 409, 422)
  send(
    @CurrentUser() user: AuthUser,
    @Param('id', UuidParamPipe) id: string,
    @Body(EventBodyPipe) event: EventRequest,
    @Idempotency() idem?: IdempotentRequest,
  ): Promise<CaseDto> {
    return this.cases.sendEvent(user, id, event, idem);
  }

  @Get(':id/history')
  @Roles(...CASE_READERS)
  @ApiOperation({ summary: 'The decision history of the case, oldest first (its hash chain).' })
  @ApiOkResponse({ type: [AuditEntryDto] })
  @ApiAuth(400, 403, 404)
  history(@CurrentUser() user: AuthUser, @Param() { id }: IdParamDto): Promise<AuditEntryDto[]> {
    return this.cases.history(user, id);
  }
}
