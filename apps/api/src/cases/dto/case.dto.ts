import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CASE_EVENT_TYPES } from '@app/case-workflow';

export class TaskDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) caseId!: string;
  @ApiProperty({ example: 'committee' }) caseState!: string;
  @ApiProperty({ example: 'committee_member', description: 'The role whose queue holds the task.' }) queue!: string;
  @ApiProperty({ example: 'vote' }) kind!: string;
  @ApiProperty({ example: 'vote:1:2f0c…', description: 'Unique among the case’s open tasks.' }) key!: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) assigneeId!: string | null;
  @ApiProperty({ enum: ['open', 'done'] }) status!: string;
  @ApiProperty({ format: 'date-time' }) dueAt!: string;
  @ApiProperty({ description: 'Open and past its due time.' }) overdue!: boolean;
  @ApiProperty({ description: 'Escalated (once) after it became overdue.' }) escalated!: boolean;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) escalatedAt!: string | null;
  @ApiProperty({
    nullable: true,
    type: String,
    example: 'department_head',
    description: 'The queue it was escalated to; it shows there too.',
  })
  escalatedTo!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) completedAt!: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) completedBy!: string | null;
}

export class CaseDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) fundId!: string;
  @ApiProperty() companyName!: string;
  @ApiProperty() sector!: string;
  @ApiProperty() requestedAmountFen!: number;
  @ApiProperty() summary!: string;
  @ApiProperty({ format: 'uuid' }) ownerId!: string;
  @ApiProperty({ type: [String], description: 'Owner and team members (user ids).' }) team!: string[];
  @ApiProperty({ example: 'exemptionReview.verification', description: 'The state path, dotted.' }) state!: string;
  @ApiProperty({ example: 3 }) version!: number;
  @ApiProperty({ description: 'Version of the workflow machine that wrote the snapshot.' }) machineVersion!: number;
  @ApiProperty({ nullable: true, type: Number, description: 'Invested amount recorded at funding, fen.' }) investedFen!: number | null;
  @ApiProperty({ nullable: true, type: Number, description: 'Exit proceeds, fen (0 for a write-off).' }) proceedsFen!: number | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
  @ApiProperty({ enum: CASE_EVENT_TYPES, isArray: true, description: 'Events the caller could send now.' }) availableEvents!: string[];
  @ApiProperty({ type: [TaskDto], description: 'Open tasks of the case.' }) tasks!: TaskDto[];
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'Recorded facts: screening, DD reports, risk opinion, votes, funding, monitoring, exit, exemption review.',
  })
  workflow!: Record<string, unknown>;
  @ApiPropertyOptional({ format: 'date-time', description: 'Set when the view was rebuilt from history.' }) asOf?: string;
}

export class CaseListDto {
  @ApiProperty({ type: [CaseDto] }) items!: CaseDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;
}

export class AuditEntryDto {
  @ApiProperty({ example: '42', description: 'Global sequence number (a string: it is a bigint).' }) seq!: string;
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) actorId!: string | null;
  @ApiProperty({ type: [String] }) actorRoles!: string[];
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) caseId!: string | null;
  @ApiProperty({ example: 'CAST_VOTE' }) type!: string;
  @ApiProperty({ nullable: true, type: String }) fromState!: string | null;
  @ApiProperty({ nullable: true, type: String }) toState!: string | null;
  @ApiProperty({ nullable: true, type: String }) reason!: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true }) payload!: Record<string, unknown>;
  @ApiProperty() prevHash!: string;
  @ApiProperty({ description: 'sha256(prevHash + canonical JSON of the entry without hash)' }) hash!: string;
}
