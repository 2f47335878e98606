import { Injectable } from '@nestjs/common';
import { In } from 'typeorm';
import { UserEntity } from './entities/user.entity';
import type { Tx } from './transaction';

export type UserRecord = Pick<UserEntity, 'id' | 'username' | 'displayName' | 'roles' | 'active' | 'demo' | 'passwordHash'> & {
  createdAt: string;
};

const toRecord = (u: UserEntity): UserRecord => ({
  id: u.id,
  username: u.username,
  displayName: u.displayName,
  roles: u.roles,
  active: u.active,
  demo: u.demo,
  passwordHash: u.passwordHash,
  createdAt: u.createdAt.toISOString(),
});

const repo = (tx: Tx) => tx.manager.getRepository(UserEntity);

@Injectable()
export class UsersRepository {
  async findByUsername(tx: Tx, username: string): Promise<UserRecord | null> {
    const u = await repo(tx).findOne({ where: { username } });
    return u ? toRecord(u) : null;
  }

  async findById(tx: Tx, id: string): Promise<UserRecord | null> {
    const u = await repo(tx).findOne({ where: { id } });
    return u ? toRecord(u) : null;
  }

  async findByIds(tx: Tx, ids: string[]): Promise<UserRecord[]> {
    if (ids.length === 0) return [];
    return (await repo(tx).find({ where: { id: In(ids) } })).map(toRecord);
  }

  async create(
    tx: Tx,
    u: { username: string; displayName: string; passwordHash: string; roles: string[]; demo?: boolean },
  ): Promise<UserRecord> {
    const r = repo(tx);
    return toRecord(await r.save(r.create({ ...u, demo: u.demo ?? false, active: true })));
  }

  /** The user, its row locked until the transaction ends. */
  async lock(tx: Tx, id: string): Promise<UserRecord | null> {
    const u = await repo(tx).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
    return u ? toRecord(u) : null;
  }

  /** Locks every active administrator (so that two admins cannot remove the last two at once). */
  async lockActiveAdmins(tx: Tx): Promise<string[]> {
    const rows = await tx.manager.query<{ id: string }[]>(
      `SELECT id FROM users WHERE active AND 'admin' = ANY(roles) ORDER BY id FOR UPDATE`,
    );
    return rows.map((r) => r.id);
  }

  async update(tx: Tx, id: string, change: { active?: boolean; roles?: string[] }): Promise<UserRecord> {
    await repo(tx).update({ id }, change);
    const u = await repo(tx).findOneOrFail({ where: { id } });
    return toRecord(u);
  }

  async list(tx: Tx): Promise<UserRecord[]> {
    return (await repo(tx).find({ order: { username: 'ASC' } })).map(toRecord);
  }

  /** Active users holding any of these roles. */
  async withAnyRole(tx: Tx, roles: string[]): Promise<UserRecord[]> {
    const rows = await repo(tx)
      .createQueryBuilder('u')
      .where('u.active AND u.roles && :roles::text[]', { roles })
      .orderBy('u.username')
      .getMany();
    return rows.map(toRecord);
  }
}
