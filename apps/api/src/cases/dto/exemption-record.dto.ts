import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  APPEAL_RESULTS,
  DISTINCTION_CODES,
  DISTINCTION_SIDES,
  EXEMPTION_OUTCOMES,
  FINDINGS,
  LEGALITY_CONCLUSIONS,
  LOSS_CAUSES,
  REDUCTIONS,
  REOPENING_GROUNDS,
  RESPONSIBILITIES,
  type AccountabilityReferral,
  type AppealResult,
  type DistinctionSide,
  type ExemptionOutcome,
  type LegalityConclusion,
  type Reduction,
  type Responsibility,
} from '@app/case-workflow';
import { STATEMENT_STATUSES, type DueProcessRecord, type ExemptionRecord, type StatementStatus } from '@app/domain';
import { ToleranceDto } from '../../funds/funds.dto';

const N = { nullable: true } as const;

export class StampDto {
  @ApiProperty({ format: 'uuid' }) by!: string;
  @ApiProperty({ format: 'date-time' }) at!: string;
}

export class EvidenceRefDto {
  @ApiProperty() title!: string;
  @ApiProperty() ref!: string;
}

export class DeclarationsRecordDto {
  @ApiProperty() noPersonalGain!: boolean;
  @ApiProperty() relatedPartiesDisclosed!: boolean;
  @ApiProperty() informationComplete!: boolean;
}

export class ApplicationDto extends StampDto {
  @ApiProperty({ enum: LOSS_CAUSES }) lossCause!: string;
  @ApiProperty() statement!: string;
  @ApiProperty({ type: [EvidenceRefDto] }) evidence!: EvidenceRefDto[];
  @ApiProperty({ type: DeclarationsRecordDto }) declarations!: DeclarationsRecordDto;
}

export class AutoEvidenceDto {
  @ApiProperty({ description: 'Whether every report item behind this criterion is met.' }) met!: boolean;
  @ApiProperty({ type: [String], description: 'Codes of the procedural-report items that evidence the criterion.' }) items!: string[];
  @ApiProperty({ type: [String] }) unmet!: string[];
}

export class AutoEvidenceAtFindingDto {
  @ApiProperty() met!: boolean;
  @ApiProperty({ type: [String] }) unmet!: string[];
}

export class CriterionRecordDto {
  @ApiProperty({ example: 'procedure_followed', description: 'The code VERIFY_CRITERION names.' }) criterion!: string;
  @ApiProperty({ description: 'English title, as frozen when the review opened (the code for reviews opened before titles were frozen).' })
  title!: string;
  @ApiProperty({ ...N, type: String, example: '决策程序正当' }) titleZh!: string | null;
  @ApiProperty({ ...N, enum: ['auto', 'manual'], type: String }) evidence!: string | null;
  @ApiProperty({ ...N, type: [String] }) verifierRoles!: string[] | null;
  @ApiProperty({ ...N, enum: FINDINGS, type: String, description: 'null until verified.' }) finding!: string | null;
  @ApiProperty({ ...N, format: 'uuid', type: String }) verifiedBy!: string | null;
  @ApiProperty({ ...N, format: 'date-time', type: String }) verifiedAt!: string | null;
  @ApiProperty({ ...N, type: String }) note!: string | null;
  @ApiProperty({ ...N, type: AutoEvidenceDto, description: 'For auto criteria: what the procedural-compliance report shows.' })
  autoEvidence!: AutoEvidenceDto | null;
  @ApiProperty({ ...N, type: AutoEvidenceAtFindingDto, description: 'The automatic evidence as it stood when the finding was recorded.' })
  autoEvidenceAtFinding!: AutoEvidenceAtFindingDto | null;
  @ApiProperty({ ...N, type: String, description: 'Why the verifier recorded met against not-met automatic evidence.' })
  overrideReason!: string | null;
  @ApiProperty({ type: [String], description: 'Negative-list items a not_met finding rests on.' }) negativeListFacts!: string[];
}

export class WithdrawalDto extends StampDto {
  @ApiProperty() reason!: string;
}

export class FlagDto extends StampDto {
  @ApiProperty({ description: 'The number WITHDRAW_FLAG names.' }) index!: number;
  @ApiProperty() note!: string;
  @ApiProperty({ type: [String], format: 'uuid', description: 'The people whose conduct the flag concerns.' }) persons!: string[];
  @ApiProperty({ type: [EvidenceRefDto] }) evidence!: EvidenceRefDto[];
  @ApiProperty({ ...N, type: WithdrawalDto, description: 'The ruling that withdrew the flag; null while it stands.' })
  withdrawal!: WithdrawalDto | null;
}

export class NegativeListItemRecordDto {
  @ApiProperty({ example: 'personal_gain' }) item!: string;
  @ApiProperty() title!: string;
  @ApiProperty({ ...N, type: String }) titleZh!: string | null;
  @ApiProperty({ ...N, enum: ['rule', 'practice'], type: String }) source!: string | null;
  @ApiProperty() flagged!: boolean;
  @ApiProperty({ type: [FlagDto] }) flags!: FlagDto[];
}

export class NegativeListRecordDto {
  @ApiProperty({ example: 'negative-list-2026.1' }) version!: string;
  @ApiProperty({ description: 'No item is flagged.' }) clear!: boolean;
  @ApiProperty({ type: [String] }) flagged!: string[];
  @ApiProperty({ type: [NegativeListItemRecordDto] }) items!: NegativeListItemRecordDto[];
}

export class ReportItemDto {
  @ApiProperty({
    example: 'committee_quorum',
    description:
      'screening_approval, dd_report:<workstream>, risk_opinion, committee_quorum, committee_threshold, monitoring_cadence, downgrade_reaction; for reviews under the due-process rules three_distinctions, hearing, legality_review, appeal_ruling',
  })
  code!: string;
  @ApiProperty({ description: 'The rule, as a sentence.' }) rule!: string;
  @ApiProperty() ruleZh!: string;
  @ApiProperty({ description: 'True also for a step that does not apply (see applicable).' }) met!: boolean;
  @ApiPropertyOptional({
    description:
      'false: the step does not apply to this case (a hearing or legality review before an exempt decision, an appeal ruling when no appeal was filed); absent: it applies.',
  })
  applicable?: boolean;
  @ApiProperty({ description: 'What the history shows.' }) finding!: string;
  @ApiProperty({ type: [String], description: 'Sequence numbers of the history entries the item rests on.' }) evidence!: string[];
  @ApiProperty({ type: [String], description: 'Who did it (user ids).' }) by!: string[];
  @ApiProperty({ ...N, format: 'date-time', type: String }) at!: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true }) figures!: Record<string, unknown>;
}

export class DowngradeReactionDto {
  @ApiProperty() seq!: string;
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiProperty() from!: string;
  @ApiProperty() to!: string;
  @ApiProperty({ ...N, type: String }) reactionSeq!: string | null;
  @ApiProperty({ ...N, type: String }) reactionType!: string | null;
  @ApiProperty({ ...N, format: 'date-time', type: String }) reactionAt!: string | null;
  @ApiProperty() reactionDays!: number;
  @ApiProperty() met!: boolean;
}

export class ProceduralReportDto {
  @ApiProperty({ ...N, type: String }) committeeRuleVersion!: string | null;
  @ApiProperty() monitoringPolicyVersion!: string;
  @ApiProperty({ type: [ReportItemDto] }) items!: ReportItemDto[];
  @ApiProperty({ type: [DowngradeReactionDto] }) downgrades!: DowngradeReactionDto[];
  @ApiProperty() allMet!: boolean;
  @ApiProperty({ ...N, type: String, description: 'The newest history entry read.' }) lastSeq!: string | null;
}

export class ParticipationDto {
  @ApiProperty({ enum: ['screening_approval', 'risk_opinion', 'committee_vote', 'close_voting'] }) kind!: string;
  @ApiProperty() seq!: string;
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiProperty({ example: 'reject' }) position!: string;
  @ApiProperty({ ...N, type: String }) reason!: string | null;
  @ApiProperty() dissent!: boolean;
}

export class ParticipantPositionDto {
  @ApiProperty({ format: 'uuid' }) userId!: string;
  @ApiProperty({ type: [String] }) roles!: string[];
  @ApiProperty({ type: [ParticipationDto] }) actions!: ParticipationDto[];
  @ApiProperty({
    description: 'Recorded opposition or reservations (reject vote, abstention with reasons, conditional or fail risk opinion).',
  })
  dissent!: boolean;
  @ApiProperty({
    ...N,
    type: Boolean,
    description:
      'Order No. 46 Art. 36(4): true for a recorded dissent whatever the outcome; else follows the outcome; null before a decision.',
  })
  personallyExempt!: boolean | null;
  @ApiProperty() basis!: string;
  @ApiProperty({ ...N, enum: RESPONSIBILITIES, type: String }) referral!: string | null;
}

export class LossTierDto {
  @ApiProperty({ example: 'major', description: 'A code of the loss-tier policy frozen into the review (default: general, major, grave).' })
  code!: string;
  @ApiProperty({ example: '较大' }) titleZh!: string;
  @ApiProperty() titleEn!: string;
  @ApiProperty() description!: string;
  @ApiProperty({
    example: 'loss-tiers-2026.1',
    description: 'The loss-tier policy version; order-46-built-in for reviews opened before it.',
  })
  policyVersion!: string;
}

export class LossFiguresDto {
  @ApiProperty() investedFen!: number;
  @ApiProperty() proceedsFen!: number;
  @ApiProperty() lossFen!: number;
  @ApiProperty() lossRate!: number;
  @ApiProperty({
    type: LossTierDto,
    description: 'Order No. 46: under 5 million yuan general 一般, 5–50 million major 较大, 50 million and over grave 重大.',
  })
  tier!: LossTierDto;
  @ApiProperty({ ...N, type: Number }) perProjectCeiling!: number | null;
  @ApiProperty({ ...N, type: Boolean }) withinProjectCeiling!: boolean | null;
}

export class ToleranceRecordDto extends ToleranceDto {
  @ApiProperty({ enum: ['decision', 'live'], description: 'decision: frozen when the decision was taken; live: now, no decision yet.' })
  basis!: string;
  @ApiProperty({ format: 'date-time' }) asOf!: string;
}

export class ReferralDto {
  @ApiProperty({ format: 'uuid' }) userId!: string;
  @ApiProperty({ enum: RESPONSIBILITIES }) responsibility!: string;
  @ApiProperty({ enum: ['直接责任', '主管责任', '领导责任'] }) responsibilityZh!: string;
  @ApiProperty({ ...N, enum: REDUCTIONS, type: String, description: 'partial: lighter 从轻 or reduced 减轻.' }) reduction!: string | null;
  @ApiProperty({ ...N, type: String }) reductionZh!: string | null;
  @ApiProperty({ ...N, type: String }) reason!: string | null;
  @ApiProperty({ description: 'The person recorded dissent in the decision (Art. 36(4)).' }) recordedDissent!: boolean;
  @ApiProperty({ description: 'The person is named in a standing negative-list flag.' }) namedInFlag!: boolean;
}

export class RecusalDto {
  @ApiProperty({ format: 'uuid' }) userId!: string;
  @ApiProperty() reason!: string;
}

export class SelfRecusalDto extends StampDto {
  @ApiProperty() reason!: string;
}

export class PanelVoteDto extends StampDto {
  @ApiProperty({ enum: EXEMPTION_OUTCOMES }) outcome!: string;
  @ApiProperty() reasons!: string;
}

export class PanelTallyDto {
  @ApiProperty() cast!: number;
  @ApiProperty() exempt!: number;
  @ApiProperty() partial!: number;
  @ApiProperty() not_exempt!: number;
  @ApiProperty() quorumMet!: boolean;
  @ApiProperty({ ...N, enum: EXEMPTION_OUTCOMES, type: String }) carried!: string | null;
  @ApiProperty() summary!: string;
}

export class PanelDto {
  @ApiProperty({ example: '免责认定小组' }) body!: string;
  @ApiProperty({ enum: ['general', 'major', 'grave'] }) tier!: string;
  @ApiProperty({ example: 'decision-2026.1' }) policyVersion!: string;
  @ApiProperty({ type: [String] }) roles!: string[];
  @ApiProperty() quorum!: number;
  @ApiProperty({ example: 'more than 1/2 of the votes cast' }) majority!: string;
  @ApiProperty({ type: [RecusalDto] }) recusedAutomatically!: RecusalDto[];
  @ApiProperty({ type: [SelfRecusalDto] }) recusals!: SelfRecusalDto[];
  @ApiProperty({ type: [PanelVoteDto] }) votes!: PanelVoteDto[];
  @ApiProperty({ type: PanelTallyDto }) tally!: PanelTallyDto;
}

export class DisciplineReferralDto {
  @ApiProperty({ enum: ['discipline_officer'] }) to!: string;
  @ApiProperty({ ...N, format: 'uuid', type: String }) receivedBy!: string | null;
  @ApiProperty({ ...N, format: 'date-time', type: String }) receivedAt!: string | null;
  @ApiProperty({ ...N, type: String }) note!: string | null;
}

export class RulesDto {
  @ApiProperty({ description: 'The machine version whose decision rules the review runs under.' }) version!: number;
  @ApiProperty() note!: string;
}

export class NoticeDto {
  @ApiProperty({ ...N, type: Number }) periodDays!: number | null;
  @ApiProperty({
    enum: ['working_days', 'calendar_days'],
    description: 'Working days (工作日) on the calendar below; calendar days before it.',
  })
  periodUnit!: 'working_days' | 'calendar_days';
  @ApiProperty({ ...N, type: String, example: 'cn-2026.1' }) calendarVersion!: string | null;
  @ApiProperty({ ...N, type: String }) policyVersion!: string | null;
  @ApiProperty({ format: 'date-time' }) startsAt!: string;
  @ApiProperty({ format: 'date-time' }) endsAt!: string;
  @ApiProperty({ ...N, format: 'uuid', type: String }) concludedBy!: string | null;
  @ApiProperty({ ...N, format: 'date-time', type: String }) concludedAt!: string | null;
  @ApiProperty({ ...N, type: String }) note!: string | null;
}

export class RulingDto extends StampDto {
  @ApiProperty() upheld!: boolean;
  @ApiProperty() note!: string;
}

export class ObjectionDto extends StampDto {
  @ApiProperty({ description: 'The number RULE_ON_OBJECTION names.' }) index!: number;
  @ApiProperty() text!: string;
  @ApiProperty({ ...N, type: RulingDto }) ruling!: RulingDto | null;
}

export class PreviousDecisionDto extends StampDto {
  @ApiProperty({ enum: EXEMPTION_OUTCOMES }) outcome!: string;
  @ApiProperty() reasons!: string;
}

export class SupersededDto extends StampDto {
  @ApiProperty({ description: 'The number of the reopening (index into dueProcess.reopenings).' }) reopening!: number;
}

type PreviousRound = ExemptionRecord['previousRounds'][number];

export class PreviousRoundDto implements PreviousRound {
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'The criterion findings of that round, by criterion code: { finding, by, at, note }.',
  })
  findings!: PreviousRound['findings'];
  @ApiProperty({ type: PreviousDecisionDto, description: 'The decision of that round.' }) decision!: PreviousDecisionDto;
  @ApiProperty({
    ...N,
    type: SupersededDto,
    description: 'Set when discipline inspection reopened the review (重新认定, REOPEN_REVIEW). The outcome no longer stands.',
  })
  superseded!: SupersededDto | null;
  @ApiProperty({ ...N, format: 'date-time', type: String }) concludedAt!: string | null;
}

export class AccountabilityRecordDto implements AccountabilityReferral {
  @ApiProperty({ format: 'uuid' }) userId!: string;
  @ApiProperty({ enum: RESPONSIBILITIES, description: 'direct 直接责任, supervisory 主管责任, leadership 领导责任' })
  responsibility!: Responsibility;
  @ApiPropertyOptional({ enum: REDUCTIONS, description: 'partial only: lighter 从轻 or reduced 减轻.' }) reduction?: Reduction;
  @ApiPropertyOptional() reason?: string;
}

/** The record's due-process section (libs/domain), which the DTOs below implement field by field. */
type DueProcess = DueProcessRecord;
type Distinction = DueProcess['distinctions'][number];
type Statement = DueProcess['hearings'][number]['statements'][number];
type Hearing = DueProcess['hearings'][number];
type LegalityReview = DueProcess['legalityReviews'][number];
type AppealPeriod = NonNullable<DueProcess['appeal']>;
type AppealRound = DueProcess['appealRounds'][number];
type AppealFiled = AppealRound['appeals'][number];
type AppealRuling = NonNullable<AppealRound['ruling']>;
type OutcomeBefore = AppealRuling['before'];
type AppealProposal = AppealRound['proposals'][number];
type AppealConfirmation = AppealProposal['confirmations'][number];
type ProposalLapse = NonNullable<AppealProposal['lapsed']>;
type Reopening = DueProcess['reopenings'][number];

export class DistinctionRecordDto implements Distinction {
  @ApiProperty({ enum: DISTINCTION_CODES }) distinction!: string;
  @ApiProperty() title!: string;
  @ApiProperty() titleZh!: string;
  @ApiProperty({ ...N, enum: DISTINCTION_SIDES, type: String, description: 'null until found.' }) side!: DistinctionSide | null;
  @ApiProperty({ ...N, format: 'uuid', type: String }) by!: string | null;
  @ApiProperty({ ...N, format: 'date-time', type: String }) at!: string | null;
  @ApiProperty({ ...N, type: String }) reasons!: string | null;
  @ApiProperty({ type: [EvidenceRefDto] }) evidence!: EvidenceRefDto[];
}

export class StatementRecordDto implements Statement {
  @ApiProperty({ format: 'uuid', description: 'The person heard.' }) userId!: string;
  @ApiProperty({ description: 'The person submitted a statement (申辩) within the period.' }) answered!: boolean;
  @ApiProperty({
    enum: STATEMENT_STATUSES,
    description:
      'On the server’s clock: answered 已陈述; awaiting 待陈述 while the period runs; lapsed 逾期未陈述 when it ended unanswered; unanswered 未陈述 when a later proposal replaced the hearing within its period.',
  })
  status!: StatementStatus;
  @ApiProperty({ ...N, format: 'date-time', type: String }) at!: string | null;
  @ApiProperty({ ...N, type: String }) statement!: string | null;
  @ApiProperty({ type: [EvidenceRefDto] }) evidence!: EvidenceRefDto[];
}

export class HearingRecordDto extends StampDto implements Hearing {
  @ApiProperty({ description: 'The review round the hearing belongs to.' }) round!: number;
  @ApiProperty({ description: 'The hearing the decision of this round waits on; false for one a later proposal replaced.' })
  current!: boolean;
  @ApiProperty({ enum: EXEMPTION_OUTCOMES }) proposedOutcome!: ExemptionOutcome;
  @ApiProperty() reasons!: string;
  @ApiProperty({ type: [AccountabilityRecordDto], description: 'The persons proposed for accountability, each heard.' })
  persons!: AccountabilityRecordDto[];
  @ApiProperty({ description: 'The hearing period, in working days.' }) periodDays!: number;
  @ApiProperty({ format: 'date-time' }) endsAt!: string;
  @ApiProperty({ example: 'cn-2026.1' }) calendarVersion!: string;
  @ApiProperty({ type: [StatementRecordDto] }) statements!: StatementRecordDto[];
}

export class LegalityReviewRecordDto extends StampDto implements LegalityReview {
  @ApiProperty() round!: number;
  @ApiProperty({ enum: EXEMPTION_OUTCOMES }) proposedOutcome!: ExemptionOutcome;
  @ApiProperty({ type: [AccountabilityRecordDto] }) proposedAccountability!: AccountabilityRecordDto[];
  @ApiProperty() lawfulBasis!: string;
  @ApiProperty() procedure!: string;
  @ApiProperty() proportionality!: string;
  @ApiProperty({ enum: LEGALITY_CONCLUSIONS }) conclusion!: LegalityConclusion;
}

export class AppealPeriodDto implements AppealPeriod {
  @ApiProperty({ ...N, type: Number, description: 'Working days.' }) periodDays!: number | null;
  @ApiProperty({ ...N, format: 'date-time', type: String }) endsAt!: string | null;
  @ApiProperty({ ...N, type: String, example: '复核小组' }) body!: string | null;
}

export class AppealRecordDto extends StampDto implements AppealFiled {
  @ApiProperty() grounds!: string;
  @ApiProperty({ type: [EvidenceRefDto] }) evidence!: EvidenceRefDto[];
}

export class OutcomeBeforeAppealDto implements OutcomeBefore {
  @ApiProperty({ enum: EXEMPTION_OUTCOMES }) outcome!: ExemptionOutcome;
  @ApiProperty({ type: [AccountabilityRecordDto] }) accountability!: AccountabilityRecordDto[];
}

export class AppealConfirmationDto extends StampDto implements AppealConfirmation {
  @ApiProperty({ ...N, type: String }) note!: string | null;
}

export class ProposalLapseDto extends StampDto implements ProposalLapse {
  @ApiProperty({ enum: ['replaced', 'new_appeal'], description: 'Another ruling was proposed, or another appeal joined the round.' })
  why!: 'replaced' | 'new_appeal';
}

export class AppealProposalDto extends StampDto implements AppealProposal {
  @ApiProperty({ enum: APPEAL_RESULTS }) result!: AppealResult;
  @ApiProperty() reasons!: string;
  @ApiProperty({ type: [String], format: 'uuid', description: 'The members of the body the ruling is proposed to; each must confirm it.' })
  members!: string[];
  @ApiProperty({ ...N, enum: EXEMPTION_OUTCOMES, description: 'A modified ruling: the outcome it proposes.' })
  outcome!: ExemptionOutcome | null;
  @ApiProperty({ ...N, type: [AccountabilityRecordDto] }) accountability!: AccountabilityRecordDto[] | null;
  @ApiProperty({ type: [AppealConfirmationDto], description: 'Each confirmation, the proposer’s first.' })
  confirmations!: AppealConfirmationDto[];
  @ApiProperty({ type: [String], format: 'uuid', description: 'Members who have not confirmed yet (empty once it took effect or lapsed).' })
  waitingFor!: string[];
  @ApiProperty({ ...N, type: ProposalLapseDto }) lapsed!: ProposalLapseDto | null;
}

export class AppealRulingDto extends StampDto implements AppealRuling {
  @ApiProperty({ enum: APPEAL_RESULTS }) result!: AppealResult;
  @ApiProperty() reasons!: string;
  @ApiProperty({ type: [String], format: 'uuid', description: 'The members of the appeal body (复核); none sat on the first decision.' })
  members!: string[];
  @ApiProperty({ enum: EXEMPTION_OUTCOMES, description: 'The outcome standing after the ruling.' }) outcome!: ExemptionOutcome;
  @ApiProperty({ type: [AccountabilityRecordDto] }) accountability!: AccountabilityRecordDto[];
  @ApiProperty({ type: OutcomeBeforeAppealDto, description: 'The decision the appeal was against.' }) before!: OutcomeBeforeAppealDto;
  @ApiProperty({
    ...N,
    type: [AppealConfirmationDto],
    description:
      'Each member’s confirmation (rules 7; the ruling took effect with the last); null: recorded by one member naming the body (rules 5).',
  })
  confirmations!: AppealConfirmationDto[] | null;
}

export class AppealRoundDto implements AppealRound {
  @ApiProperty({ description: 'The review round of the decision appealed against.' }) round!: number;
  @ApiProperty({ type: [AppealRecordDto] }) appeals!: AppealRecordDto[];
  @ApiProperty({ type: [AppealProposalDto], description: 'Machine version 7: every ruling proposed to the body, oldest first.' })
  proposals!: AppealProposalDto[];
  @ApiProperty({ ...N, type: AppealRulingDto, description: 'null while the appeal waits for a ruling.' }) ruling!: AppealRulingDto | null;
}

export class ReopeningRecordDto extends StampDto implements Reopening {
  @ApiProperty({ enum: REOPENING_GROUNDS }) ground!: string;
  @ApiProperty() reasons!: string;
  @ApiProperty({ type: [EvidenceRefDto] }) evidence!: EvidenceRefDto[];
}

export class DueProcessRecordDto implements DueProcess {
  @ApiProperty({ ...N, type: String, example: 'due-process-2026.1', description: 'null: the review opened before the due-process rules.' })
  policyVersion!: string | null;
  @ApiProperty({ description: 'The review round (a reopening or an upheld objection starts a new one).' }) round!: number;
  @ApiProperty({ type: [DistinctionRecordDto], description: '三个区分开来: one finding for each of the three distinctions.' })
  distinctions!: DistinctionRecordDto[];
  @ApiProperty({ type: [String], description: 'Distinctions found on the culpable side: exempt and partial are excluded.' })
  culpable!: string[];
  @ApiProperty({
    type: [HearingRecordDto],
    description: '申辩: each hearing with the persons proposed, its period (working days) and each statement.',
  })
  hearings!: HearingRecordDto[];
  @ApiProperty({ type: [LegalityReviewRecordDto], description: '合法性审查: every legality review.' })
  legalityReviews!: LegalityReviewRecordDto[];
  @ApiProperty({
    ...N,
    type: AppealPeriodDto,
    description: 'The appeal period (申诉) opened when the notice of a referring decision was concluded.',
  })
  appeal!: AppealPeriodDto | null;
  @ApiProperty({
    type: [AppealRoundDto],
    description:
      "申诉/复核: every appeal round with the ruling (upheld, modified, overturned) and the outcome before it. Machine version 7: `proposals` (each ruling proposed to the body, its `confirmations` by member, `waitingFor`, `lapsed`) and the ruling's `confirmations` (null: recorded by one member naming the body, rules 5).",
  })
  appealRounds!: AppealRoundDto[];
  @ApiProperty({ type: [ReopeningRecordDto], description: '重新认定: every reopening.' }) reopenings!: ReopeningRecordDto[];
}

export class ConfigVersionsDto {
  @ApiProperty({ example: 'criteria-2026.1' }) criteria!: string;
  @ApiProperty({ example: 'negative-list-2026.1' }) negativeList!: string;
  @ApiProperty({ example: 'monitoring-2026.1' }) monitoring!: string;
  @ApiProperty({ ...N, type: String }) notice!: string | null;
  @ApiProperty({ ...N, type: String, description: 'The working-day calendar the notice was counted on.' }) calendar!: string | null;
  @ApiProperty({ example: 'loss-tiers-2026.1' }) lossTiers!: string;
  @ApiProperty({ ...N, type: String }) tolerance!: string | null;
  @ApiProperty({ ...N, type: String }) committeeRule!: string | null;
  @ApiProperty({ ...N, type: String, description: 'The decision panel policy frozen into the review.' }) decision!: string | null;
  @ApiProperty({ description: 'False for reviews opened before definitions were frozen into the review.' }) definitionsFrozen!: boolean;
}

export class PersonDto {
  @ApiProperty() username!: string;
  @ApiProperty() displayName!: string;
}

export class ExemptionRecordDto {
  @ApiProperty({ format: 'uuid' }) caseId!: string;
  @ApiProperty({ format: 'uuid' }) fundId!: string;
  @ApiProperty() companyName!: string;
  @ApiProperty({ example: 'exemptionReview.verification' }) state!: string;
  @ApiProperty() version!: number;
  @ApiProperty({ enum: ['loss_exit', 'write_off'] }) trigger!: string;
  @ApiProperty({ type: RulesDto, description: 'The rules the review runs under (a review keeps the rules it opened under).' })
  rules!: RulesDto;
  @ApiProperty({ type: ConfigVersionsDto }) configVersions!: ConfigVersionsDto;
  @ApiProperty({ ...N, type: ApplicationDto }) application!: ApplicationDto | null;
  @ApiProperty({ type: [CriterionRecordDto] }) criteria!: CriterionRecordDto[];
  @ApiProperty({ type: NegativeListRecordDto }) negativeList!: NegativeListRecordDto;
  @ApiProperty({ type: ProceduralReportDto, description: 'Computed from the case history, never typed in.' })
  proceduralReport!: ProceduralReportDto;
  @ApiProperty({ type: [ParticipantPositionDto] }) participants!: ParticipantPositionDto[];
  @ApiProperty({ type: LossFiguresDto }) loss!: LossFiguresDto;
  @ApiProperty({
    ...N,
    type: ToleranceRecordDto,
    description: 'The fund’s tolerance (容亏率): frozen at decision time, or live before a decision.',
  })
  tolerance!: ToleranceRecordDto | null;
  @ApiProperty({ ...N, enum: EXEMPTION_OUTCOMES, type: String }) outcome!: string | null;
  @ApiProperty({ ...N, type: String }) outcomeZh!: string | null;
  @ApiProperty({ ...N, type: String }) reasons!: string | null;
  @ApiProperty({ ...N, format: 'uuid', type: String }) decidedBy!: string | null;
  @ApiProperty({ ...N, format: 'date-time', type: String }) decidedAt!: string | null;
  @ApiProperty({ description: 'true for not_exempt: referred for accountability (追责).' }) accountabilityReferral!: boolean;
  @ApiProperty({ type: [ReferralDto] }) accountability!: ReferralDto[];
  @ApiProperty({ ...N, type: PanelDto, description: 'The decision panel; null when the committee chair decides alone.' })
  panel!: PanelDto | null;
  @ApiProperty({ ...N, type: DisciplineReferralDto, description: 'Referral to discipline inspection (纪检监察).' })
  referral!: DisciplineReferralDto | null;
  @ApiProperty({ ...N, type: NoticeDto }) notice!: NoticeDto | null;
  @ApiProperty({ type: [ObjectionDto] }) objections!: ObjectionDto[];
  @ApiProperty({ type: [PreviousRoundDto], description: 'Earlier rounds: reopened by an upheld objection, or superseded by a reopening.' })
  previousRounds!: PreviousRoundDto[];
  @ApiProperty({ type: DueProcessRecordDto, description: 'Due process around the decision (machine version 5).' })
  dueProcess!: DueProcessRecordDto;
  @ApiProperty({
    type: 'object',
    additionalProperties: { $ref: '#/components/schemas/PersonDto' },
    description: 'Display names of everyone the record names, by user id.',
  })
  people!: Record<string, PersonDto>;
}
