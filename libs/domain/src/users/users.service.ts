import { Injectable } from '@nestjs/common';
import type { Role } from '@app/case-workflow';
import { HistoryRecorder, TransactionRunner, UsersRepository, type UserRecord } from '@app/persistence';
import { hashPassword } from '../auth/password-hasher';
import type { AuthUser } from '../auth/auth.service';
import { DomainErrorCode, DomainException } from '../domain.exception';

export interface UserView {
  id: string;
  username: string;
  displayName: string;
  roles: string[];
  active: boolean;
  createdAt: string;
}

export const toUserView = (u: UserRecord): UserView => ({
  id: u.id,
  username: u.username,
  displayName: u.displayName,
  roles: u.roles,
  active: u.active,
  createdAt: u.createdAt,
});

@Injectable()
export class UsersService {
  constructor(
    private readonly tx: TransactionRunner,
    private readonly users: UsersRepository,
    private readonly recorder: HistoryRecorder,
  ) {}

  async create(
    admin: AuthUser | null,
    input: { username: string; displayName: string; password: string; roles: Role[] },
  ): Promise<UserView> {
    const passwordHash = await hashPassword(input.password);
    return this.tx.run(async (tx) => {
      if (await this.users.findByUsername(tx, input.username)) {
        throw new DomainException(DomainErrorCode.Conflict, `The username ${input.username} is already taken; choose another.`);
      }
      const user = await this.users.create(tx, {
        username: input.username,
        displayName: input.displayName,
        passwordHash,
        roles: [...new Set(input.roles)],
      });
      await this.recorder.append(tx, {
        kind: 'system',
        actor: { id: admin?.id ?? null, roles: admin?.roles ?? [] },
        at: new Date().toISOString(),
        type: 'USER_CREATED',
        payload: {
          userId: user.id,
          username: user.username,
          displayName: user.displayName,
          roles: user.roles,
        },
      });
      return toUserView(user);
    });
  }

  async list(): Promise<UserView[]> {
    return (await this.tx.none((tx) => this.users.list(tx))).map(toUserView);
  }
}
