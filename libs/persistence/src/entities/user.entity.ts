import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

@Entity({ name: 'users' })
export class UserEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'varchar', length: 64, unique: true })
  username!: string;

  @Column({ name: 'display_name', type: 'varchar', length: 200 })
  displayName!: string;

  @Column({ name: 'password_hash', type: 'varchar', length: 300 })
  passwordHash!: string;

  @Column({ type: 'text', array: true })
  roles!: string[];

  @Column({ type: 'boolean', default: true })
  active!: boolean;

  /** Loaded by the demo seed (password demo-password): refused outside demo mode unless allowed. */
  @Column({ type: 'boolean', default: false })
  demo!: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
