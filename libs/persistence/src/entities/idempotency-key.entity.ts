import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * The first answer to a state-changing request sent with an `Idempotency-Key`, per user: a repeat
 * within the retention period gets this answer again and changes nothing. Written in the transaction
 * of the change it answers for; expired rows are deleted by the scheduler.
 */
@Entity({ name: 'idempotency_keys' })
@Index('ix_idempotency_keys_created', ['createdAt'])
export class IdempotencyKeyEntity {
  @PrimaryColumn({ name: 'user_id', type: 'uuid' })
  userId!: string;

  @PrimaryColumn({ type: 'varchar', length: 255 })
  key!: string;

  /** SHA-256 of the request (method, path and body): the same key with another request is refused. */
  @Column({ name: 'request_hash', type: 'char', length: 64 })
  requestHash!: string;

  @Column({ name: 'status_code', type: 'integer' })
  statusCode!: number;

  @Column({ type: 'jsonb' })
  response!: unknown;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
