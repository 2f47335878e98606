import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { FundEvaluationService, FundsService, type AuthUser } from '@app/domain';
import { CurrentUser, Roles } from '../auth/auth.decorators';
import { ApiExactTotals } from '../common/amount-fen';
import { ApiAuth } from '../common/api-errors.decorator';
import { IdParamDto } from '../common/id-param.dto';
import { FundEvaluationDto, FundEvaluationQuery } from './fund-evaluation.dto';
import { CreateFundDto, FundDto } from './funds.dto';
import { ApiIdempotencyKey } from '../idempotency/idempotency.interceptor';

@ApiTags('funds')
@Controller('funds')
export class FundsController {
  constructor(
    private readonly funds: FundsService,
    private readonly evaluation: FundEvaluationService,
  ) {}

  @Post()
  @ApiIdempotencyKey()
  @Roles('admin')
  @ApiOperation({ summary: 'Create a fund (admin).' })
  @ApiCreatedResponse({ type: FundDto })
  @ApiAuth(400, 403, 409)
  create(@CurrentUser() admin: AuthUser, @Body() dto: CreateFundDto): Promise<FundDto> {
    return this.funds.create(admin, dto);
  }

  @Get()
  @ApiOperation({ summary: 'List funds with their live loss tolerance (any role).' })
  @ApiOkResponse({ type: [FundDto] })
  @ApiExactTotals()
  @ApiAuth()
  list(): Promise<FundDto[]> {
    return this.funds.list();
  }

  @Get(':id')
  @ApiOperation({ summary: 'One fund with its live loss tolerance over its whole life (any role).' })
  @ApiOkResponse({ type: FundDto })
  @ApiExactTotals()
  @ApiAuth(400, 404)
  get(@Param() { id }: IdParamDto): Promise<FundDto> {
    return this.funds.get(id);
  }

  @Get(':id/evaluation')
  @ApiOperation({
    summary:
      'The fund’s whole-life evaluation (全生命周期绩效评价), now or as of a past date: capital invested, realised losses and gains, gross and net loss rates against the tolerance, each project and its exemption review (any role).',
  })
  @ApiOkResponse({ type: FundEvaluationDto })
  @ApiExactTotals()
  @ApiAuth(400, 404)
  evaluate(@Param() { id }: IdParamDto, @Query() q: FundEvaluationQuery): Promise<FundEvaluationDto> {
    return this.evaluation.evaluate(id, q.asOf);
  }
}
