import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsOptional, IsUUID, Matches } from 'class-validator';
import { AuditEntryDto } from '../cases/dto/case.dto';
import { PageQuery } from '../common/page.query';
import { IsAcceptedDate } from '../common/date-range';

const ISO_WITH_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:?\d{2})$/;
const isoMessage = (field: string) => `${field} must be an ISO-8601 timestamp with a time zone, e.g. 2026-01-31T12:00:00Z`;

export class ListAuditEventsQuery extends PageQuery(100, 500) {
  @ApiPropertyOptional({ format: 'uuid', description: 'Entries of one case.' })
  @IsOptional()
  @IsUUID('all', { message: 'caseId must be a UUID' })
  caseId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Entries written by one person.' })
  @IsOptional()
  @IsUUID('all', { message: 'actorId must be a UUID' })
  actorId?: string;

  @ApiPropertyOptional({
    example: 'CAST_VOTE',
    description:
      'One entry type: an event type, CASE_CREATED, TASK_CLAIMED, TASK_RELEASED, LOGIN_SUCCEEDED, LOGIN_FAILED, USER_CREATED, FUND_CREATED…',
  })
  @IsOptional()
  @Matches(/^[A-Z][A-Z0-9_]{0,63}$/, { message: 'type must be an entry type in capitals, such as CAST_VOTE or LOGIN_FAILED' })
  type?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Entries at or after this moment.' })
  @IsOptional()
  @Matches(ISO_WITH_ZONE, { message: isoMessage('from') })
  @IsISO8601({ strict: true }, { message: 'from is not a real date and time' })
  @IsAcceptedDate()
  from?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Entries before this moment.' })
  @IsOptional()
  @Matches(ISO_WITH_ZONE, { message: isoMessage('to') })
  @IsISO8601({ strict: true }, { message: 'to is not a real date and time' })
  @IsAcceptedDate()
  to?: string;
}

export class AuditEventListDto {
  @ApiProperty({ type: [AuditEntryDto], description: 'Oldest first, by (at, seq).' }) items!: AuditEntryDto[];
  @ApiProperty({ nullable: true, type: String, description: 'Pass as cursor for the next page; null on the last page.' }) nextCursor!:
    string | null;
}

export class VerifyAuditQuery {
  @ApiPropertyOptional({ format: 'uuid', description: 'Verify only this case’s chain; without it, every case chain and the system chain.' })
  @IsOptional()
  @IsUUID('all', { message: 'caseId must be a UUID' })
  caseId?: string;
}

export class ChainResultDto {
  @ApiProperty({
    format: 'uuid',
    nullable: true,
    type: String,
    description: 'The case, or null for the system chain (entries with no case).',
  })
  caseId!: string | null;
  @ApiProperty() valid!: boolean;
  @ApiProperty({ description: 'Entries read before the verdict.' }) checked!: number;
  @ApiPropertyOptional({
    example: '1042',
    description: 'The first entry that does not hash or link; absent when only the stored head disagrees (a removed tail).',
  })
  firstBrokenSeq?: string;
  @ApiPropertyOptional({ example: 'entry content does not match its hash (the entry was edited)' }) problem?: string;
}

export class StoredFileProblemDto {
  @ApiProperty({ enum: ['evidence', 'document'] }) kind!: string;
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) caseId!: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'The file name (evidence) or document number.' }) fileName!: string | null;
  @ApiProperty({ description: 'The seq of the chain entry that recorded the file.' }) seq!: string;
  @ApiProperty({ example: 'the stored content hashes to 3a7b…, the chain entry recorded 9f86…' }) problem!: string;
}

export class StoredFilesVerificationDto {
  @ApiProperty({ description: 'Stored files recomputed.' }) checked!: number;
  @ApiProperty({ description: 'Files that differ from their chain entry.' }) brokenCount!: number;
  @ApiProperty({ type: [StoredFileProblemDto], description: 'Each file that differs (at most 100).' }) broken!: StoredFileProblemDto[];
}

export class CaseRecordDifferenceDto {
  @ApiProperty({ format: 'uuid' }) caseId!: string;
  @ApiProperty({
    enum: ['full', 'partial'],
    description:
      '`full`: the whole chain replayed through this machine version and the row compared field by field; `partial`: the chain began under an older machine version, so only state, version and the proposal were compared.',
  })
  replay!: 'full' | 'partial';
  @ApiProperty({
    example: 'snapshot.context.exit.proceedsFen',
    description:
      'The first field that differs: a column (`state`, `version`, `machine_version`, `owner_id`, `fund_id`, `company_name`, `sector`, `requested_amount_fen`, `summary`, `invested_fen`, `proceeds_fen`), a path into the snapshot, or `history` for a row no chain backs.',
  })
  field!: string;
  @ApiProperty({ description: 'What the row holds there.' }) stored!: unknown;
  @ApiProperty({ description: 'What the chain, replayed, produces there.' }) replayed!: unknown;
}

export class CaseRecordsVerificationDto {
  @ApiProperty({ description: 'Case rows compared with their chains.' }) checked!: number;
  @ApiProperty({ description: 'Of those, replayed in full through this machine version.' }) replayed!: number;
  @ApiProperty({ description: 'Of those, begun under an older machine version: state, version and proposal compared only.' })
  partial!: number;
  @ApiProperty({ description: 'Case rows that differ from their chains.' }) differingCount!: number;
  @ApiProperty({
    type: [CaseRecordDifferenceDto],
    description: 'Each case row that differs, with its first differing field (at most 100).',
  })
  differing!: CaseRecordDifferenceDto[];
}

export class CheckpointRefDto {
  @ApiProperty({ example: 12 }) number!: number;
  @ApiProperty({ format: 'date-time' }) at!: string;
}

export class CheckpointVerificationDto {
  @ApiProperty({ description: 'Whether anchored checkpoints are configured (CHECKPOINT_DIR, CHECKPOINT_KEY_FILE).' }) configured!: boolean;
  @ApiProperty({ description: 'Checkpoints read whose signature, number, link to the previous one and root hold.' }) checkpoints!: number;
  @ApiProperty({ type: CheckpointRefDto, nullable: true }) latest!: CheckpointRefDto | null;
  @ApiProperty({ description: 'Chains whose latest pinned head was compared with the database.' }) pinnedChains!: number;
  @ApiProperty() valid!: boolean;
  @ApiProperty({
    type: [String],
    description:
      'One sentence per fault: a checkpoint changed, missing or signed by another key, or a chain that no longer has the head a checkpoint pinned (at most 100).',
  })
  problems!: string[];
}

export class CheckpointDto {
  @ApiProperty({ example: 12 }) number!: number;
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiProperty({ enum: ['scheduled', 'document', 'manual'] }) reason!: string;
  @ApiProperty({ description: 'Chains whose head it pinned.' }) chains!: number;
  @ApiProperty({ description: 'SHA-256 over the pinned heads.' }) root!: string;
  @ApiProperty({ example: 'checkpoint-00000012.json' }) file!: string;
}

export class CheckpointWrittenDto {
  @ApiProperty({ type: CheckpointDto, nullable: true, description: 'The checkpoint written; null when no chain moved since the last one.' })
  checkpoint!: CheckpointDto | null;
}

export class AuditVerificationDto {
  @ApiProperty({ description: 'Every chain, every case row and every stored file verified.' }) valid!: boolean;
  @ApiProperty({ description: 'Entries recomputed.' }) checked!: number;
  @ApiProperty({ description: 'Chains verified.' }) chains!: number;
  @ApiProperty() brokenChains!: number;
  @ApiPropertyOptional({ example: '1042', description: 'The lowest seq among the first broken entries.' }) firstBrokenSeq?: string;
  @ApiProperty({ type: [ChainResultDto], description: 'The broken chains (at most 100).' }) broken!: ChainResultDto[];
  @ApiProperty({
    type: StoredFilesVerificationDto,
    description: 'Evidence files and issued documents, each hashed again and compared with its chain entry.',
  })
  files!: StoredFilesVerificationDto;
  @ApiProperty({
    type: CaseRecordsVerificationDto,
    description:
      'Each case row (state, version, snapshot, proposal, amounts) compared with what its chain produces when replayed through the workflow machine.',
  })
  records!: CaseRecordsVerificationDto;
  @ApiProperty({
    type: CheckpointVerificationDto,
    description:
      'The chains against the signed checkpoints kept outside the database: a rewrite re-hashed consistently inside the database is found here.',
  })
  checkpoints!: CheckpointVerificationDto;
}

export const EXPORT_FORMATS = ['csv', 'json'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export class ExportAuditQuery {
  @ApiPropertyOptional({ format: 'uuid', description: 'The case whose history to export; without it, the whole history.' })
  @IsOptional()
  @IsUUID('all', { message: 'caseId must be a UUID' })
  caseId?: string;

  @ApiPropertyOptional({ enum: EXPORT_FORMATS, default: 'csv' })
  @IsOptional()
  @IsIn(EXPORT_FORMATS, { message: 'format must be csv or json' })
  format: ExportFormat = 'csv';
}
