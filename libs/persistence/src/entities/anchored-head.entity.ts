import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * The head of each chain as the latest checkpoint pinned it, so the next checkpoint carries only the
 * chains that moved since. Bookkeeping only: what proves the history is the signed checkpoint files
 * outside the database, which verification reads (a change here can only make a checkpoint carry more).
 */
@Entity({ name: 'anchored_heads' })
export class AnchoredHeadEntity {
  /** A case id, or `system`. */
  @PrimaryColumn({ type: 'varchar', length: 64, primaryKeyConstraintName: 'PK_anchored_heads' })
  chain!: string;

  @Column({ type: 'bigint' })
  seq!: string;

  @Column({ type: 'char', length: 64 })
  hash!: string;

  /** The number of the checkpoint that pinned it. */
  @Column({ type: 'integer' })
  checkpoint!: number;
}
