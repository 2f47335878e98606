import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** One entry of the append-only, hash-chained decision history. The database refuses UPDATE/DELETE. */
@Entity({ name: 'audit_entries' })
@Index('ix_audit_case_seq', ['caseId', 'seq'])
@Index('ix_audit_actor_at', ['actorId', 'at', 'seq'])
@Index('ix_audit_type_at', ['type', 'at', 'seq'])
@Index('ix_audit_at', ['at', 'seq'])
/** The system chain (entries with no case) in seq order, for verifying and exporting it in batches. */
@Index('ix_audit_system_seq', ['seq'], { where: 'case_id IS NULL' })
export class AuditEntryEntity {
  /** Taken from the sequence audit_entries_seq before hashing, so the hash covers it. */
  @PrimaryColumn({ type: 'bigint' })
  seq!: string;

  @Column({ type: 'timestamptz' })
  at!: Date;

  @Column({ name: 'actor_id', type: 'uuid', nullable: true })
  actorId!: string | null;

  @Column({ name: 'actor_roles', type: 'text', array: true })
  actorRoles!: string[];

  @Column({ name: 'case_id', type: 'uuid', nullable: true })
  caseId!: string | null;

  @Column({ type: 'varchar', length: 64 })
  type!: string;

  @Column({ name: 'from_state', type: 'varchar', length: 64, nullable: true })
  fromState!: string | null;

  @Column({ name: 'to_state', type: 'varchar', length: 64, nullable: true })
  toState!: string | null;

  @Column({ type: 'text', nullable: true })
  reason!: string | null;

  @Column({ type: 'jsonb' })
  payload!: Record<string, unknown>;

  @Column({ name: 'prev_hash', type: 'char', length: 64 })
  prevHash!: string;

  @Column({ type: 'char', length: 64 })
  hash!: string;
}
