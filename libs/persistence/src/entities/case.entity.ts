import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { bigintFen } from './column-transformers';
import { FundEntity } from './fund.entity';
import { UserEntity } from './user.entity';

@Entity({ name: 'cases' })
@Index('ix_cases_created', ['createdAt', 'id'])
@Index('ix_cases_state_created', ['state', 'createdAt', 'id'])
@Index('ix_cases_fund_created', ['fundId', 'createdAt', 'id'])
@Index('ix_cases_owner_created', ['ownerId', 'createdAt', 'id'])
export class CaseEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'fund_id', type: 'uuid' })
  fundId!: string;

  @ManyToOne(() => FundEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'fund_id' })
  fund?: FundEntity;

  @Column({ name: 'company_name', type: 'varchar', length: 200 })
  companyName!: string;

  @Column({ type: 'varchar', length: 100 })
  sector!: string;

  @Column({ name: 'requested_amount_fen', type: 'bigint', transformer: bigintFen })
  requestedAmountFen!: number;

  @Column({ type: 'text' })
  summary!: string;

  @Column({ name: 'owner_id', type: 'uuid' })
  ownerId!: string;

  @ManyToOne(() => UserEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'owner_id' })
  owner?: UserEntity;

  /** Dotted state path, denormalised from the snapshot for filtering. */
  @Column({ type: 'varchar', length: 64 })
  state!: string;

  @Column({ type: 'jsonb' })
  snapshot!: Record<string, unknown>;

  @Column({ name: 'machine_version', type: 'int' })
  machineVersion!: number;

  @Column({ type: 'int' })
  version!: number;

  /** Amount actually invested (set at funding) and exit proceeds, for fund-level figures. */
  @Column({ name: 'invested_fen', type: 'bigint', nullable: true, transformer: bigintFen })
  investedFen!: number | null;

  @Column({ name: 'proceeds_fen', type: 'bigint', nullable: true, transformer: bigintFen })
  proceedsFen!: number | null;

  /** Hash of the newest audit entry of this case's chain. */
  @Column({ name: 'head_hash', type: 'char', length: 64, nullable: true })
  headHash!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
