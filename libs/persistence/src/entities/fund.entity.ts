import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { bigintFen } from './column-transformers';

@Entity({ name: 'funds' })
export class FundEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'varchar', length: 200, unique: true })
  name!: string;

  @Column({ type: 'varchar', length: 16 })
  type!: string;

  @Column({ name: 'size_fen', type: 'bigint', transformer: bigintFen })
  sizeFen!: number;

  @Column({ name: 'vintage_year', type: 'int' })
  vintageYear!: number;

  @Column({ name: 'term_years', type: 'int' })
  termYears!: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
