import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { CaseEntity } from './case.entity';

@Entity({ name: 'tasks' })
@Index('ux_tasks_open_key', ['caseId', 'key'], { unique: true, where: `status = 'open'` })
@Index('ix_tasks_queue', ['queue', 'status', 'dueAt', 'id'])
@Index('ix_tasks_assignee', ['assigneeId', 'status', 'dueAt', 'id'])
@Index('ix_tasks_case', ['caseId', 'status'])
@Index('ix_tasks_escalation_due', ['dueAt'], { where: `status = 'open' AND escalated_at IS NULL` })
@Index('ix_tasks_escalated', ['escalatedTo', 'status', 'dueAt', 'id'], { where: `escalated_to IS NOT NULL` })
export class TaskEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'case_id', type: 'uuid' })
  caseId!: string;

  @ManyToOne(() => CaseEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'case_id' })
  case?: CaseEntity;

  @Column({ type: 'varchar', length: 120 })
  key!: string;

  @Column({ type: 'varchar', length: 40 })
  kind!: string;

  @Column({ type: 'varchar', length: 40 })
  queue!: string;

  @Column({ name: 'case_state', type: 'varchar', length: 64 })
  caseState!: string;

  @Column({ name: 'assignee_id', type: 'uuid', nullable: true })
  assigneeId!: string | null;

  @Column({ type: 'varchar', length: 8 })
  status!: 'open' | 'done';

  @Column({ name: 'due_at', type: 'timestamptz' })
  dueAt!: Date;

  /** Set when the overdue task was escalated (once) to the escalation queue. */
  @Column({ name: 'escalated_at', type: 'timestamptz', nullable: true })
  escalatedAt!: Date | null;

  /** The queue it was escalated to; it shows there as well as in its own queue. */
  @Column({ name: 'escalated_to', type: 'varchar', length: 40, nullable: true })
  escalatedTo!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'completed_at', type: 'timestamptz', nullable: true })
  completedAt!: Date | null;

  @Column({ name: 'completed_by', type: 'uuid', nullable: true })
  completedBy!: string | null;
}
