import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { CaseEntity } from './case.entity';
import { FundEntity } from './fund.entity';
import { UserEntity } from './user.entity';

/**
 * A document issued from the record (committee resolution, exemption determination, public notice,
 * fund evaluation): its number, hashes and the chain position it was issued at; the PDF's bytes are
 * in file_chunks. Append-only.
 */
@Entity({ name: 'issued_documents' })
@Index('ux_documents_number', ['kind', 'year', 'serial'], { unique: true })
@Index('ix_documents_case', ['caseId', 'kind', 'issuedAt'])
@Index('ix_documents_fund', ['fundId', 'kind', 'issuedAt'])
@Index('ix_documents_sha256', ['sha256'])
export class IssuedDocumentEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'varchar', length: 40 })
  kind!: string;

  @Column({ name: 'case_id', type: 'uuid', nullable: true })
  caseId!: string | null;

  @ManyToOne(() => CaseEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'case_id' })
  case?: CaseEntity;

  @Column({ name: 'fund_id', type: 'uuid', nullable: true })
  fundId!: string | null;

  @ManyToOne(() => FundEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'fund_id' })
  fund?: FundEntity;

  /** 〔2026〕投决第7号 */
  @Column({ type: 'varchar', length: 64 })
  number!: string;

  @Column({ type: 'int' })
  year!: number;

  /** The place in the gapless per-kind, per-year sequence. */
  @Column({ type: 'int' })
  serial!: number;

  /** SHA-256 of the PDF file. */
  @Column({ type: 'char', length: 64 })
  sha256!: string;

  @Column({ name: 'size_bytes', type: 'bigint' })
  sizeBytes!: string;

  /** SHA-256 of the canonical JSON of the document's content (printed in its verification block). */
  @Column({ name: 'content_sha256', type: 'char', length: 64 })
  contentSha256!: string;

  /** SHA-256 of the facts the document states: equal facts, same document. */
  @Column({ name: 'facts_sha256', type: 'char', length: 64 })
  factsSha256!: string;

  @Column({ type: 'jsonb' })
  content!: Record<string, unknown>;

  @Column({ name: 'chain_head_hash', type: 'char', length: 64 })
  chainHeadHash!: string;

  @Column({ name: 'chain_seq', type: 'bigint' })
  chainSeq!: string;

  /** The seq of the DOCUMENT_ISSUED entry. */
  @Column({ name: 'issue_seq', type: 'bigint' })
  issueSeq!: string;

  @Column({ name: 'issued_by', type: 'uuid' })
  issuedBy!: string;

  @ManyToOne(() => UserEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'issued_by' })
  issuer?: UserEntity;

  @Column({ name: 'issued_at', type: 'timestamptz' })
  issuedAt!: Date;
}
