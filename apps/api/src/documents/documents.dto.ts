import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import { CASE_DOCUMENT_KINDS, DOCUMENT_KINDS } from '@app/domain';

export class IssueCaseDocumentDto {
  @ApiProperty({
    enum: CASE_DOCUMENT_KINDS,
    description: 'committee_resolution 投资决策委员会决议, exemption_determination 尽职免责认定书, public_notice 公示',
  })
  @IsIn(CASE_DOCUMENT_KINDS, { message: `kind must be one of ${CASE_DOCUMENT_KINDS.join(', ')}` })
  kind!: (typeof CASE_DOCUMENT_KINDS)[number];
}

export class IssueFundDocumentDto {
  @ApiProperty({ enum: ['fund_evaluation'], description: 'fund_evaluation 基金全生命周期绩效评价报告' })
  @IsIn(['fund_evaluation'], { message: 'kind must be fund_evaluation' })
  kind!: 'fund_evaluation';
}

/** An issued document (its PDF is at GET /api/documents/{id}). */
export class IssuedDocumentDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: DOCUMENT_KINDS }) kind!: string;
  @ApiProperty({ example: '〔2026〕免责认定第3号', description: 'From a gapless per-kind, per-year sequence.' }) number!: string;
  @ApiProperty({ description: 'SHA-256 of the PDF file, hex (also on the chain, in the DOCUMENT_ISSUED entry).' }) sha256!: string;
  @ApiProperty({ description: 'Hash of the case chain (or, for a fund, the system chain) at issue, printed in the document.' })
  chainHeadHash!: string;
  @ApiProperty({ example: '1042', description: 'Seq of that chain head.' }) chainSeq!: string;
  @ApiProperty({ format: 'date-time' }) issuedAt!: string;
  @ApiPropertyOptional({ format: 'uuid', nullable: true, type: String }) caseId!: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: 'The fund (of the case, for a case document).' }) fundId!:
    string | null;
  @ApiProperty({ description: 'SHA-256 of the canonical JSON of the content before the verification block (printed in it).' })
  contentSha256!: string;
  @ApiProperty() sizeBytes!: number;
  @ApiProperty({ description: 'Seq of the DOCUMENT_ISSUED chain entry.' }) issueSeq!: string;
  @ApiProperty({ format: 'uuid' }) issuedBy!: string;
}

export class DocumentCheckDto {
  @ApiProperty({ description: 'The PDF is (or names itself as) a document issued by this system.' }) issued!: boolean;
  @ApiProperty({ description: 'Its bytes are exactly those issued (SHA-256 as on the chain).' }) unchanged!: boolean;
  @ApiPropertyOptional({ format: 'uuid' }) documentId?: string;
  @ApiPropertyOptional() number?: string;
  @ApiPropertyOptional() kind?: string;
  @ApiPropertyOptional({ nullable: true, type: String }) caseId?: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) fundId?: string | null;
  @ApiPropertyOptional({ format: 'date-time' }) issuedAt?: string;
  @ApiPropertyOptional({ description: 'Workflow events were recorded on the case (or the fund’s cases) after the issue.' })
  recordMovedOn?: boolean;
  @ApiPropertyOptional({ format: 'uuid', description: 'A newer document of the same kind for the same case or fund.' })
  supersededBy?: string;
  @ApiProperty({ description: 'SHA-256 of the file checked.' }) sha256!: string;
  @ApiProperty() sizeBytes!: number;
}

export class DocumentFileBodyDto {
  @ApiProperty({ type: 'string', format: 'binary', description: 'The PDF to check.' })
  file!: unknown;
}
