import { ApiProperty } from '@nestjs/swagger';

/** An evidence file's record (its bytes are at GET /api/evidence/{id}). */
export class EvidenceFileDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) caseId!: string;
  @ApiProperty({ example: '尽职调查报告（财务）.pdf' }) fileName!: string;
  @ApiProperty({ example: 'application/pdf', description: 'Sniffed from the content, never taken from the client.' }) mediaType!: string;
  @ApiProperty({ example: 482113 }) sizeBytes!: number;
  @ApiProperty({ example: '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08', description: 'SHA-256 of the content, hex' })
  sha256!: string;
  @ApiProperty({ format: 'uuid' }) uploadedBy!: string;
  @ApiProperty({ format: 'date-time' }) uploadedAt!: string;
  @ApiProperty({ example: '1042', description: 'The seq of the EVIDENCE_UPLOADED entry on the case chain.' }) chainSeq!: string;
}

export class EvidenceUploadBodyDto {
  @ApiProperty({
    type: 'string',
    format: 'binary',
    description: 'The file (PDF, image, Office document, UTF-8 text or ZIP; 25 MB by default).',
  })
  file!: unknown;
}
