import { Controller, Get, Param } from '@nestjs/common';
import { ApiExtraModels, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ExemptionService, type AuthUser } from '@app/domain';
import { CASE_READERS } from '@app/case-workflow';
import { CurrentUser, Roles } from '../auth/auth.decorators';
import { ApiAuth } from '../common/api-errors.decorator';
import { IdParamDto } from '../common/id-param.dto';
import { ExemptionRecordDto, PersonDto } from './dto/exemption-record.dto';

@ApiTags('cases')
@Controller('cases')
export class ExemptionController {
  constructor(private readonly exemption: ExemptionService) {}

  @Get(':id/exemption')
  @Roles(...CASE_READERS)
  @ApiOperation({
    summary:
      'The due-diligence exemption record (尽职免责): criteria and findings, negative list, procedural-compliance report from the history, participants’ own positions, loss and tier, fund tolerance, outcome, referral, notice and objections. 404 when the case has no review.',
  })
  @ApiExtraModels(PersonDto)
  @ApiOkResponse({ type: ExemptionRecordDto })
  @ApiAuth(400, 403, 404)
  record(@CurrentUser() user: AuthUser, @Param() { id }: IdParamDto): Promise<ExemptionRecordDto> {
    return this.exemption.record(user, id);
  }
}
