import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  isISO8601,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import {
  APPEAL_RESULTS,
  CASE_EVENT_TYPES,
  DISTINCTION_CODES,
  DISTINCTION_SIDES,
  LEGALITY_CONCLUSIONS,
  REOPENING_GROUNDS,
  EXEMPTION_OUTCOMES,
  EXIT_CHANNELS,
  MAX_AMOUNT_FEN,
  FINDINGS,
  LOSS_CAUSES,
  REDUCTIONS,
  RESPONSIBILITIES,
  RISK_GRADES,
  RISK_OPINIONS,
  VOTES,
  WORKSTREAMS,
  type AccountabilityReferral,
  type AppealResult,
  type DistinctionCode,
  type DistinctionSide,
  type LegalityConclusion,
  type ReopeningGround,
  type CaseEventType,
  type EventInput,
  type EvidenceRef,
  type ExemptionDeclarations,
  type ExemptionOutcome,
  type ExitChannel,
  type Finding,
  type LossCause,
  type Reduction,
  type Responsibility,
  type RiskGrade,
  type RiskOpinionKind,
  type VoteKind,
  type Workstream,
} from '@app/case-workflow';
import { IsAmountFen } from '../../common/amount-fen';
import { IsAcceptedDate } from '../../common/date-range';

const TEXT = 10_000;
/**
 * Normalises a strict ISO-8601 date or timestamp to UTC `YYYY-MM-DDThh:mm:ss.sssZ`; leaves anything
 * else (including ISO forms JavaScript cannot read, such as week dates) for the validator to refuse.
 */
const toUtc = ({ value }: { value: unknown }) => {
  if (typeof value !== 'string' || !isISO8601(value, { strict: true })) return value;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? value : new Date(ms).toISOString();
};
const UTC_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

function Text(opts: { optional?: boolean; description?: string; max?: number } = {}): PropertyDecorator {
  return (target, key) => {
    (opts.optional ? ApiPropertyOptional : ApiProperty)({ description: opts.description, maxLength: opts.max ?? TEXT })(target, key);
    if (opts.optional) IsOptional()(target, key);
    IsString()(target, key);
    MinLength(1, { message: `${String(key)} must not be empty` })(target, key);
    MaxLength(opts.max ?? TEXT)(target, key);
  };
}

function Timestamp(description: string): PropertyDecorator {
  return (target, key) => {
    ApiProperty({ format: 'date-time', description })(target, key);
    Transform(toUtc)(target, key);
    Matches(UTC_TIMESTAMP, {
      message: `${String(key)} must be an ISO-8601 date or timestamp (YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ)`,
    })(target, key);
    IsAcceptedDate()(target, key);
  };
}

function Fen(description: string, min: number): PropertyDecorator {
  return (target, key) => {
    ApiProperty({
      description: `${description} (integer fen, at most ${MAX_AMOUNT_FEN}: one trillion yuan).`,
      minimum: min,
      maximum: MAX_AMOUNT_FEN,
    })(target, key);
    IsAmountFen(min)(target, key);
  };
}

/**
 * The evidence files an event cites, by the ids `POST /api/cases/:id/evidence` returned. Reusable on
 * any event's DTO: the server checks that each file belongs to the case (422 otherwise) and records
 * each file's SHA-256 in the event's chain entry (`payload.server.citedEvidence`).
 */
export function EvidenceIds(): PropertyDecorator {
  return (target, key) => {
    ApiPropertyOptional({
      type: [String],
      format: 'uuid',
      maxItems: 50,
      description: 'Evidence files of this case that the event rests on (ids from POST /api/cases/{id}/evidence).',
    })(target, key);
    IsOptional()(target, key);
    IsArray()(target, key);
    ArrayMaxSize(50)(target, key);
    ArrayUnique()(target, key);
    IsUUID('all', { each: true, message: 'evidenceIds must be evidence file ids (UUIDs)' })(target, key);
  };
}

export abstract class CaseEventDto {
  @ApiProperty({ enum: CASE_EVENT_TYPES })
  @IsIn(CASE_EVENT_TYPES)
  type!: CaseEventType;

  @ApiProperty({ description: 'The case version the sender saw; 409 when it is no longer current.', minimum: 1 })
  @IsInt()
  @Min(1)
  expectedVersion!: number;
}

export class SubmitEventDto extends CaseEventDto implements EventInput<'SUBMIT'> {}
export class ApproveEventDto extends CaseEventDto implements EventInput<'APPROVE'> {
  @Text({ optional: true, description: 'Optional remarks of the approver.' }) reason?: string;
}
export class ReturnEventDto extends CaseEventDto implements EventInput<'RETURN'> {
  @Text({ description: 'Why the case goes back.' }) reason!: string;

  @ApiPropertyOptional({
    enum: WORKSTREAMS,
    isArray: true,
    description: 'From risk review or committee: the DD workstreams to redo (default all four).',
  })
  @IsOptional()
  @IsArray()
  @ArrayUnique()
  @IsIn(WORKSTREAMS, { each: true })
  workstreams?: Workstream[];
}
export class RejectEventDto extends CaseEventDto implements EventInput<'REJECT'> {
  @Text({ description: 'Why the proposal is rejected.' }) reason!: string;
}
export class SubmitDdReportEventDto extends CaseEventDto implements EventInput<'SUBMIT_DD_REPORT'> {
  @ApiProperty({ enum: WORKSTREAMS }) @IsIn(WORKSTREAMS) workstream!: Workstream;
  @Text({ description: 'The conclusion of the report.' }) conclusion!: string;
  @Text({ description: 'Findings, including every known risk.', max: 50_000 }) findings!: string;
  @EvidenceIds() evidenceIds?: string[];
}
export class RiskOpinionEventDto extends CaseEventDto implements EventInput<'RISK_OPINION'> {
  @ApiProperty({ enum: RISK_OPINIONS }) @IsIn(RISK_OPINIONS) opinion!: RiskOpinionKind;
  @Text() reason!: string;
  @Text({ optional: true, description: 'Conditions attached to a conditional opinion.' }) conditions?: string;
  @EvidenceIds() evidenceIds?: string[];
}
export class CastVoteEventDto extends CaseEventDto implements EventInput<'CAST_VOTE'> {
  @ApiProperty({ enum: VOTES }) @IsIn(VOTES) vote!: VoteKind;
  @Text({ description: 'Every vote states its reason; a dissent is on record.' }) reason!: string;
  @Text({
    optional: true,
    description:
      'An explicit reservation (保留意见). With a reject vote, the only recorded dissent that shields the member from responsibility for the collective decision (Order No. 46 Art. 36(4)).',
  })
  reservation?: string;
}
export class CloseVotingEventDto extends CaseEventDto implements EventInput<'CLOSE_VOTING'> {
  @Text({ optional: true, description: 'Required to approve after a risk fail opinion.' }) overrideReason?: string;
}
export class RecordSigningEventDto extends CaseEventDto implements EventInput<'RECORD_SIGNING'> {
  @Timestamp('When the investment agreement was signed.') signedAt!: string;
}
export class RecordFundingEventDto extends CaseEventDto implements EventInput<'RECORD_FUNDING'> {
  @Fen('Amount actually invested', 1) amountFen!: number;
  @Timestamp('When the money was paid.') fundedAt!: string;
}
export class SubmitMonitoringReportEventDto extends CaseEventDto implements EventInput<'SUBMIT_MONITORING_REPORT'> {
  @ApiProperty({ example: '2026-Q3', description: 'The period covered.' })
  @IsString()
  @Matches(/^\S.{0,63}$/, { message: 'period must be a short label such as 2026-Q3' })
  period!: string;
  @Text() summary!: string;
  @EvidenceIds() evidenceIds?: string[];
}
export class ClassifyRiskEventDto extends CaseEventDto implements EventInput<'CLASSIFY_RISK'> {
  @ApiProperty({ enum: RISK_GRADES, description: '五级分类: normal 正常, watch 关注, substandard 次级, doubtful 可疑, loss 损失' })
  @IsIn(RISK_GRADES)
  grade!: RiskGrade;
  @Text() reason!: string;
}
export class StartExitEventDto extends CaseEventDto implements EventInput<'START_EXIT'> {
  @ApiProperty({ enum: EXIT_CHANNELS }) @IsIn(EXIT_CHANNELS) channel!: ExitChannel;
}
export class CompleteExitEventDto extends CaseEventDto implements EventInput<'COMPLETE_EXIT'> {
  @Fen('Proceeds of the exit', 0) proceedsFen!: number;
  @Timestamp('When the exit completed.') exitedAt!: string;
  @EvidenceIds() evidenceIds?: string[];
}
export class ConfirmExitAmountEventDto extends CaseEventDto implements EventInput<'CONFIRM_EXIT_AMOUNT'> {
  @Fen('Proceeds of the exit as read from the source document (the owner must then enter the same figure)', 0) proceedsFen!: number;
  @Text({
    max: 500,
    description:
      'The source document the amount was read from: the transfer agreement, bank receipt or liquidation report, with its number.',
  })
  sourceDocument!: string;
  @Text({ optional: true, description: 'Remarks of the department head.' }) note?: string;
  @EvidenceIds() evidenceIds?: string[];
}
export class WriteOffEventDto extends CaseEventDto implements EventInput<'WRITE_OFF'> {
  @Text({ description: 'Why the investment is written off (核销).' }) reason!: string;
  @EvidenceIds() evidenceIds?: string[];
}
export class AddTeamMemberEventDto extends CaseEventDto implements EventInput<'ADD_TEAM_MEMBER'> {
  @ApiProperty({ format: 'uuid' }) @IsUUID('all', { message: 'userId must be a UUID' }) userId!: string;
  @Text({
    optional: true,
    description:
      'Required once the committee vote has opened (the team is frozen): the request then waits for a department head (DECIDE_TEAM_CHANGE).',
  })
  reason?: string;
}
export class DecideTeamChangeEventDto extends CaseEventDto implements EventInput<'DECIDE_TEAM_CHANGE'> {
  @ApiProperty({ format: 'uuid', description: 'The person whose addition to the frozen team was asked for.' })
  @IsUUID('all', { message: 'userId must be a UUID' })
  userId!: string;
  @ApiProperty({ description: 'true: the person joins the team; false: the request is refused.' }) @IsBoolean() approved!: boolean;
  @Text() note!: string;
}

export class EvidenceDto implements EvidenceRef {
  @Text({ max: 500 }) title!: string;
  @Text({ max: 2000, description: 'Where the evidence is: a document number, archive reference or URL.' }) ref!: string;
}
export class DeclarationsDto implements ExemptionDeclarations {
  @ApiProperty({ description: 'Nobody on the team sought or obtained personal gain.' }) @IsBoolean() noPersonalGain!: boolean;
  @ApiProperty({ description: 'Every related-party interest was disclosed before the decision.' })
  @IsBoolean()
  relatedPartiesDisclosed!: boolean;
  @ApiProperty({ description: 'DD and risk information was reported completely and truthfully.' })
  @IsBoolean()
  informationComplete!: boolean;
}
export class FileExemptionEventDto extends CaseEventDto implements EventInput<'FILE_EXEMPTION'> {
  @ApiProperty({ enum: LOSS_CAUSES }) @IsIn(LOSS_CAUSES) lossCause!: LossCause;
  @Text({ description: 'The team’s account of the loss.', max: 50_000 }) statement!: string;

  @ApiProperty({ type: [EvidenceDto] })
  @IsArray()
  @ArrayMaxSize(200)
  @ValidateNested({ each: true })
  @Type(() => EvidenceDto)
  evidence!: EvidenceDto[];

  @ApiProperty({ type: DeclarationsDto })
  @ValidateNested()
  @Type(() => DeclarationsDto)
  declarations!: DeclarationsDto;
  @EvidenceIds() evidenceIds?: string[];
}
export class VerifyCriterionEventDto extends CaseEventDto implements EventInput<'VERIFY_CRITERION'> {
  @ApiProperty({ example: 'procedure_followed', description: 'A criterion code of the review’s criteria version.' })
  @IsString()
  @Matches(/^[a-z_]{1,64}$/, { message: 'criterion must be a criterion code such as procedure_followed' })
  criterion!: string;
  @ApiProperty({ enum: FINDINGS }) @IsIn(FINDINGS) finding!: Finding;
  @Text() note!: string;
  @EvidenceIds() evidenceIds?: string[];
  @Text({
    optional: true,
    description: 'Required to record met on a criterion whose automatic evidence is not met; shown beside the finding.',
  })
  overrideReason?: string;

  @ApiPropertyOptional({
    type: [String],
    example: ['personal_gain'],
    description: 'For a not_met finding: the negative-list items it rests on (a partial decision is then refused).',
  })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @ArrayUnique()
  @Matches(/^[a-z_]{1,64}$/, { each: true, message: 'negativeListFacts must be negative-list codes such as personal_gain' })
  negativeListFacts?: string[];
}
export class FlagNegativeListEventDto extends CaseEventDto implements EventInput<'FLAG_NEGATIVE_LIST'> {
  @ApiProperty({ example: 'personal_gain' })
  @IsString()
  @Matches(/^[a-z_]{1,64}$/, { message: 'item must be a negative-list code such as personal_gain' })
  item!: string;
  @Text() note!: string;
  @EvidenceIds() evidenceIds?: string[];

  @ApiProperty({
    type: [String],
    format: 'uuid',
    description: 'The person(s) whose conduct the flag concerns; each is referred while it stands.',
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @ArrayUnique()
  @IsUUID('all', { each: true, message: 'persons must be user ids (UUIDs)' })
  persons!: string[];

  @ApiProperty({ type: [EvidenceDto], description: 'The evidence the flag rests on.' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(200)
  @ValidateNested({ each: true })
  @Type(() => EvidenceDto)
  evidence!: EvidenceDto[];
}
export class WithdrawFlagEventDto extends CaseEventDto implements EventInput<'WITHDRAW_FLAG'> {
  @ApiProperty({ description: 'Index of the flag (0-based, as in the review record).' })
  @IsInt()
  @Min(0)
  @Max(10_000)
  flag!: number;
  @Text({ description: 'The ruling’s reasons: why the flag no longer stands.' }) reason!: string;
}
export class RecuseFromPanelEventDto extends CaseEventDto implements EventInput<'RECUSE_FROM_PANEL'> {
  @Text({ description: 'Why the member recuses themselves (回避).' }) reason!: string;
}
export class CastPanelVoteEventDto extends CaseEventDto implements EventInput<'CAST_PANEL_VOTE'> {
  @ApiProperty({ enum: EXEMPTION_OUTCOMES }) @IsIn(EXEMPTION_OUTCOMES) outcome!: ExemptionOutcome;
  @Text({ max: 50_000 }) reasons!: string;
}
export class ReceiveReferralEventDto extends CaseEventDto implements EventInput<'RECEIVE_REFERRAL'> {
  @Text({ optional: true }) note?: string;
}
export class AccountabilityDto implements AccountabilityReferral {
  @ApiProperty({ format: 'uuid' }) @IsUUID('all', { message: 'userId must be a UUID' }) userId!: string;
  @ApiProperty({ enum: RESPONSIBILITIES, description: 'direct 直接责任, supervisory 主管责任, leadership 领导责任' })
  @IsIn(RESPONSIBILITIES)
  responsibility!: Responsibility;
  @ApiPropertyOptional({ enum: REDUCTIONS, description: 'partial only (required there): lighter 从轻 or reduced 减轻.' })
  @IsOptional()
  @IsIn(REDUCTIONS)
  reduction?: Reduction;
  @Text({ optional: true, description: 'partial only (required there): why the responsibility is reduced.' }) reason?: string;
}
export class DecideExemptionEventDto extends CaseEventDto implements EventInput<'DECIDE_EXEMPTION'> {
  @ApiProperty({ enum: EXEMPTION_OUTCOMES }) @IsIn(EXEMPTION_OUTCOMES) outcome!: ExemptionOutcome;
  @Text({ max: 50_000 }) reasons!: string;

  @ApiPropertyOptional({
    type: [AccountabilityDto],
    description:
      'Required for not_exempt (each person referred, 追责; every person named in a standing negative-list flag) and for partial (each person whose responsibility is reduced, with reduction and reason).',
  })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => AccountabilityDto)
  accountability?: AccountabilityDto[];
}
export class RaiseObjectionEventDto extends CaseEventDto implements EventInput<'RAISE_OBJECTION'> {
  @Text() text!: string;
}
export class RuleOnObjectionEventDto extends CaseEventDto implements EventInput<'RULE_ON_OBJECTION'> {
  @ApiProperty({ description: 'Index of the objection (0-based, as in the review record).' })
  @IsInt()
  @Min(0)
  @Max(10_000)
  objection!: number;
  @ApiProperty({ description: 'true: the objection is upheld and the review returns to verification.' }) @IsBoolean() upheld!: boolean;
  @Text() note!: string;
}
export class ConcludeNoticeEventDto extends CaseEventDto implements EventInput<'CONCLUDE_NOTICE'> {
  @Text({ optional: true }) note?: string;
}

/** A required list of evidence references (title and reference); non-empty unless `mayBeEmpty`. */
function EvidenceList(description: string, opts: { mayBeEmpty?: boolean } = {}): PropertyDecorator {
  return (target, key) => {
    ApiProperty({ type: [EvidenceDto], description })(target, key);
    IsArray()(target, key);
    if (!opts.mayBeEmpty)
      ArrayMinSize(1, { message: `${String(key)} must cite at least one piece of evidence (title and ref)` })(target, key);
    ArrayMaxSize(200)(target, key);
    ValidateNested({ each: true })(target, key);
    Type(() => EvidenceDto)(target, key);
  };
}

export class RecordDistinctionEventDto extends CaseEventDto implements EventInput<'RECORD_DISTINCTION'> {
  @ApiProperty({
    enum: DISTINCTION_CODES,
    description:
      '三个区分开来: inexperience_vs_knowing_violation (先行先试 vs 明知故犯), trial_vs_prohibition (尚无明确限制 vs 明令禁止), development_vs_personal_gain (推动发展的无意过失 vs 谋取私利).',
  })
  @IsIn(DISTINCTION_CODES, { message: `distinction must be one of ${DISTINCTION_CODES.join(', ')}` })
  distinction!: DistinctionCode;
  @ApiProperty({ enum: DISTINCTION_SIDES, description: 'tolerable, or culpable (which excludes exempt and partial).' })
  @IsIn(DISTINCTION_SIDES, { message: 'side must be tolerable or culpable' })
  side!: DistinctionSide;
  @Text({ max: 50_000, description: 'Why the conduct falls on this side.' }) reasons!: string;
  @EvidenceList('The evidence the finding rests on.') evidence!: EvidenceDto[];
  @EvidenceIds() evidenceIds?: string[];
}
export class ProposeAccountabilityEventDto extends CaseEventDto implements EventInput<'PROPOSE_ACCOUNTABILITY'> {
  @ApiProperty({
    enum: ['partial', 'not_exempt'],
    description: 'The outcome proposed; each person named is heard (申辩) before the decision.',
  })
  @IsIn(['partial', 'not_exempt'], {
    message: 'outcome must be partial or not_exempt: an exempt decision refers nobody and needs no hearing',
  })
  outcome!: ExemptionOutcome;
  @ApiProperty({ type: [AccountabilityDto], description: 'Each person proposed for accountability, with the responsibility.' })
  @IsArray()
  @ArrayMinSize(1, { message: 'accountability must name at least one person proposed for accountability' })
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => AccountabilityDto)
  accountability!: AccountabilityDto[];
  @Text({ max: 50_000, description: 'The facts and grounds put to the persons heard.' }) reasons!: string;
}
export class SubmitStatementEventDto extends CaseEventDto implements EventInput<'SUBMIT_STATEMENT'> {
  @Text({ max: 50_000, description: 'The statement (申辩) of the person heard.' }) statement!: string;
  @EvidenceList('Evidence the statement relies on (may be empty).', { mayBeEmpty: true }) evidence!: EvidenceDto[];
  @EvidenceIds() evidenceIds?: string[];
}
export class LegalityReviewEventDto extends CaseEventDto implements EventInput<'LEGALITY_REVIEW'> {
  @Text({ description: 'The lawful basis of the proposed decision (法律依据).' }) lawfulBasis!: string;
  @Text({ description: 'Whether the procedure was followed (程序).' }) procedure!: string;
  @Text({ description: 'Whether the accountability is proportionate (适当性).' }) proportionality!: string;
  @ApiProperty({ enum: LEGALITY_CONCLUSIONS, description: 'favourable: the decision may be taken as proposed.' })
  @IsIn(LEGALITY_CONCLUSIONS, { message: 'conclusion must be favourable or unfavourable' })
  conclusion!: LegalityConclusion;
}
export class FileAppealEventDto extends CaseEventDto implements EventInput<'FILE_APPEAL'> {
  @Text({ max: 50_000, description: 'The grounds of the appeal (申诉理由).' }) grounds!: string;
  @EvidenceList('Evidence the appeal relies on (may be empty).', { mayBeEmpty: true }) evidence!: EvidenceDto[];
  @EvidenceIds() evidenceIds?: string[];
}
export class RuleOnAppealEventDto extends CaseEventDto implements EventInput<'RULE_ON_APPEAL'> {
  @ApiProperty({
    enum: APPEAL_RESULTS,
    description:
      'upheld 维持, modified 变更 (lighter or narrower only, never heavier for anyone: 不加重原则), overturned 撤销. Machine version 7: the ruling is proposed to the members it names and takes effect once each has confirmed it (CONFIRM_APPEAL_RULING); a different ruling replaces a pending one.',
  })
  @IsIn(APPEAL_RESULTS, { message: 'result must be upheld, modified or overturned' })
  result!: AppealResult;
  @Text({ max: 50_000 }) reasons!: string;
  @ApiProperty({
    type: [String],
    format: 'uuid',
    description: 'The members of the appeal body (复核), the sender among them; none may have sat on the first decision.',
  })
  @IsArray()
  @ArrayMinSize(1, { message: 'members must name the members of the appeal body' })
  @ArrayMaxSize(50)
  @IsUUID('all', { each: true, message: 'members must be user ids (UUIDs)' })
  members!: string[];
  @ApiPropertyOptional({ enum: EXEMPTION_OUTCOMES, description: 'modified only: the outcome after the appeal (partial or not_exempt).' })
  @IsOptional()
  @IsIn(EXEMPTION_OUTCOMES)
  outcome?: ExemptionOutcome;
  @ApiPropertyOptional({ type: [AccountabilityDto], description: 'modified only: the persons still referred, with their responsibility.' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => AccountabilityDto)
  accountability?: AccountabilityDto[];
}
export class ConfirmAppealRulingEventDto extends CaseEventDto implements EventInput<'CONFIRM_APPEAL_RULING'> {
  @Text({
    optional: true,
    description:
      "A member's note with the confirmation. Machine version 7: each member the proposed ruling (RULE_ON_APPEAL) names confirms it; it takes effect with the last confirmation. The confirmation concerns the proposal standing at expectedVersion.",
  })
  note?: string;
}
export class ReopenReviewEventDto extends CaseEventDto implements EventInput<'REOPEN_REVIEW'> {
  @ApiProperty({ enum: REOPENING_GROUNDS, description: 'concealment 隐瞒, new_evidence 新证据, other_new_facts 其他新事实.' })
  @IsIn(REOPENING_GROUNDS, { message: `ground must be one of ${REOPENING_GROUNDS.join(', ')}` })
  ground!: ReopeningGround;
  @Text({ max: 50_000, description: 'The new facts and why they reopen the review (重新认定).' }) reasons!: string;
  @EvidenceList('The evidence of the new facts.') evidence!: EvidenceDto[];
  @EvidenceIds() evidenceIds?: string[];
}

/** A body class: validates and documents the client's fields of one event type. */
export type EventDtoClass<T extends CaseEventType> = new () => CaseEventDto & EventInput<T>;

/** The body class for each event type: the discriminated union on `type` (the compiler checks each pairing). */
export const EVENT_DTOS: { [T in CaseEventType]: EventDtoClass<T> } = {
  SUBMIT: SubmitEventDto,
  APPROVE: ApproveEventDto,
  RETURN: ReturnEventDto,
  REJECT: RejectEventDto,
  SUBMIT_DD_REPORT: SubmitDdReportEventDto,
  RISK_OPINION: RiskOpinionEventDto,
  CAST_VOTE: CastVoteEventDto,
  CLOSE_VOTING: CloseVotingEventDto,
  RECORD_SIGNING: RecordSigningEventDto,
  RECORD_FUNDING: RecordFundingEventDto,
  SUBMIT_MONITORING_REPORT: SubmitMonitoringReportEventDto,
  CLASSIFY_RISK: ClassifyRiskEventDto,
  START_EXIT: StartExitEventDto,
  COMPLETE_EXIT: CompleteExitEventDto,
  CONFIRM_EXIT_AMOUNT: ConfirmExitAmountEventDto,
  WRITE_OFF: WriteOffEventDto,
  ADD_TEAM_MEMBER: AddTeamMemberEventDto,
  DECIDE_TEAM_CHANGE: DecideTeamChangeEventDto,
  FILE_EXEMPTION: FileExemptionEventDto,
  VERIFY_CRITERION: VerifyCriterionEventDto,
  FLAG_NEGATIVE_LIST: FlagNegativeListEventDto,
  WITHDRAW_FLAG: WithdrawFlagEventDto,
  RECUSE_FROM_PANEL: RecuseFromPanelEventDto,
  CAST_PANEL_VOTE: CastPanelVoteEventDto,
  DECIDE_EXEMPTION: DecideExemptionEventDto,
  RAISE_OBJECTION: RaiseObjectionEventDto,
  RULE_ON_OBJECTION: RuleOnObjectionEventDto,
  RECEIVE_REFERRAL: ReceiveReferralEventDto,
  CONCLUDE_NOTICE: ConcludeNoticeEventDto,
  RECORD_DISTINCTION: RecordDistinctionEventDto,
  PROPOSE_ACCOUNTABILITY: ProposeAccountabilityEventDto,
  SUBMIT_STATEMENT: SubmitStatementEventDto,
  LEGALITY_REVIEW: LegalityReviewEventDto,
  FILE_APPEAL: FileAppealEventDto,
  RULE_ON_APPEAL: RuleOnAppealEventDto,
  CONFIRM_APPEAL_RULING: ConfirmAppealRulingEventDto,
  REOPEN_REVIEW: ReopenReviewEventDto,
};
