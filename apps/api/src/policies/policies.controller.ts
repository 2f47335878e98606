import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { AppConfigService } from '@app/config';
import type { CommitteeRule } from '@app/case-workflow';
import { ApiAuth } from '../common/api-errors.decorator';

export class CommitteeRuleDto implements CommitteeRule {
  @ApiProperty({ example: '2026.1' }) version!: string;
  @ApiProperty({ description: 'Votes that must be cast before the chair may close voting.', example: 5 }) quorum!: number;
  @ApiProperty({ description: 'Approval needs approve votes ≥ numerator/denominator of the votes counted.', example: 2 })
  approvalNumerator!: number;
  @ApiProperty({ example: 3 }) approvalDenominator!: number;
  @ApiProperty({ description: 'Whether abstentions count in the denominator.' }) abstentionsCountAsCast!: boolean;
  @ApiProperty({ description: 'After a risk fail opinion, approval needs the chair’s override reason.' })
  riskFailRequiresOverride!: boolean;
}

/** Business policy the console shows beside a decision (read-only; the files under config/ are the source). */
@ApiTags('policies')
@Controller('policies')
export class PoliciesController {
  constructor(private readonly config: AppConfigService) {}

  @Get('committee')
  @ApiOperation({ summary: 'The investment committee rule in force: quorum and approval threshold (any role).' })
  @ApiOkResponse({ type: CommitteeRuleDto })
  @ApiAuth()
  committee(): CommitteeRuleDto {
    const { version, quorum, approvalNumerator, approvalDenominator, abstentionsCountAsCast, riskFailRequiresOverride } =
      this.config.policies.committee;
    return { version, quorum, approvalNumerator, approvalDenominator, abstentionsCountAsCast, riskFailRequiresOverride };
  }
}
