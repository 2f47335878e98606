import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Heads of the chains that have no case row to keep them (the system chain). */
@Entity({ name: 'audit_chain_heads' })
export class ChainHeadEntity {
  @PrimaryColumn({ type: 'varchar', length: 32 })
  chain!: string;

  @Column({ name: 'head_hash', type: 'char', length: 64 })
  headHash!: string;
}
