import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { CaseEntity } from './case.entity';
import { UserEntity } from './user.entity';

/**
 * An evidence file uploaded to a case: its metadata here, its bytes in file_chunks. Append-only: the
 * database refuses UPDATE and DELETE. The upload's chain entry (`chain_seq`) carries the SHA-256.
 */
@Entity({ name: 'evidence_files' })
@Index('ix_evidence_case_uploaded', ['caseId', 'uploadedAt', 'id'])
export class EvidenceFileEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ name: 'case_id', type: 'uuid' })
  caseId!: string;

  @ManyToOne(() => CaseEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'case_id' })
  case?: CaseEntity;

  @Column({ name: 'file_name', type: 'varchar', length: 255 })
  fileName!: string;

  /** Sniffed from the content, never taken from the client. */
  @Column({ name: 'media_type', type: 'varchar', length: 160 })
  mediaType!: string;

  @Column({ name: 'size_bytes', type: 'bigint' })
  sizeBytes!: string;

  @Column({ type: 'char', length: 64 })
  sha256!: string;

  @Column({ name: 'uploaded_by', type: 'uuid' })
  uploadedBy!: string;

  @ManyToOne(() => UserEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'uploaded_by' })
  uploader?: UserEntity;

  @Column({ name: 'uploaded_at', type: 'timestamptz' })
  uploadedAt!: Date;

  /** The seq of the EVIDENCE_UPLOADED entry on the case's chain. */
  @Column({ name: 'chain_seq', type: 'bigint' })
  chainSeq!: string;
}
