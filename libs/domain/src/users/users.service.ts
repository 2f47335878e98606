import { Injectable } from '@nestjs/common';
import type { Role } from '@app/case-workflow';
import { HistoryRecorder, SessionsRepository, TransactionRunner, UsersRepository, type Tx, type UserRecord } from '@app/persistence';
import { hashPassword } from '../auth/password-hasher';
import type { AuthUser } from '../auth/auth.service';
import { SessionCache } from '../auth/session-cache';
import { DomainErrorCode, DomainException, notFound } from '../domain.exception';
import { Clock } from '../clock';

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
    private readonly clock: Clock,
    private readonly tx: TransactionRunner,
    private readonly users: UsersRepository,
    private readonly recorder: HistoryRecorder,
    private readonly sessions: SessionsRepository,
    private readonly cache: SessionCache,
  ) {}

  async create(
    admin: AuthUser | null,
    input: { username: string; displayName: string; password: string; roles: Role[]; demo?: boolean },
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
        demo: input.demo,
      });
      await this.recorder.append(tx, {
        kind: 'system',
        actor: { id: admin?.id ?? null, roles: admin?.roles ?? [] },
        at: this.clock.nowIso(),
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

  /** Deactivates a user: every session of theirs ends at once (all processes); they cannot log in. */
  deactivate(admin: AuthUser, userId: string, reason: string | null): Promise<UserView> {
    return this.change(admin, userId, async (tx, user) => {
      if (!user.active) return null;
      await this.keepAnAdmin(tx, user, { active: false });
      const updated = await this.users.update(tx, userId, { active: false });
      const revokedSessions = await this.sessions.revokeAllOf(tx, userId, 'user_deactivated');
      return { updated, type: 'USER_DEACTIVATED', payload: { revokedSessions }, reason };
    });
  }

  activate(admin: AuthUser, userId: string, reason: string | null): Promise<UserView> {
    return this.change(admin, userId, async (tx, user) => {
      if (user.active) return null;
      const updated = await this.users.update(tx, userId, { active: true });
      return { updated, type: 'USER_ACTIVATED', payload: {}, reason };
    });
  }

  /** Replaces a user's roles; they apply from the user's next request (sessions stay). */
  setRoles(admin: AuthUser, userId: string, roles: Role[], reason: string | null): Promise<UserView> {
    const next = [...new Set(roles)];
    return this.change(admin, userId, async (tx, user) => {
      if (next.length === user.roles.length && next.every((r) => user.roles.includes(r))) return null;
      await this.keepAnAdmin(tx, user, { roles: next });
      const updated = await this.users.update(tx, userId, { roles: next });
      return { updated, type: 'USER_ROLES_CHANGED', payload: { from: user.roles, to: next }, reason };
    });
  }

  /**
   * One admin change in one transaction: the user row locked, the change, its audit entry on the
   * system chain. A change that changes nothing writes nothing. This process forgets the user's
   * sessions once it commits; the others hear it from the database (NOTIFY).
   */
  private async change(
    admin: AuthUser,
    userId: string,
    work: (
      tx: Tx,
      user: UserRecord,
    ) => Promise<{ updated: UserRecord; type: string; payload: Record<string, unknown>; reason: string | null } | null>,
  ): Promise<UserView> {
    const view = await this.tx.run(async (tx) => {
      await this.users.lockActiveAdmins(tx);
      const user = await this.users.lock(tx, userId);
      if (!user) throw notFound('user');
      const done = await work(tx, user);
      if (!done) return toUserView(user);
      await this.recorder.append(tx, {
        kind: 'system',
        actor: { id: admin.id, roles: admin.roles },
        at: this.clock.nowIso(),
        type: done.type,
        payload: { userId, username: user.username, ...done.payload },
        reason: done.reason,
      });
      return toUserView(done.updated);
    });
    this.cache.changed('user', userId);
    return view;
  }

  /** Refuses a change that would leave no active administrator. */
  private async keepAnAdmin(tx: Tx, user: UserRecord, change: { active?: boolean; roles?: string[] }): Promise<void> {
    const isAdmin = user.active && user.roles.includes('admin');
    const staysAdmin = (change.active ?? user.active) && (change.roles ?? user.roles).includes('admin');
    if (!isAdmin || staysAdmin) return;
    const admins = await this.users.lockActiveAdmins(tx);
    if (admins.filter((id) => id !== user.id).length === 0) {
      throw new DomainException(
        DomainErrorCode.RuleViolated,
        'At least one active administrator must remain: make another user an administrator first.',
      );
    }
  }

  async list(): Promise<UserView[]> {
    return (await this.tx.none((tx) => this.users.list(tx))).map(toUserView);
  }
}
