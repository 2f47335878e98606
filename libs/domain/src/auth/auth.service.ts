import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { ROLES, type Role } from '@app/case-workflow';
import { TransactionRunner, UsersRepository } from '@app/persistence';
import { AuditLogService } from '../audit/audit-log.service';
import { DomainErrorCode, DomainException } from '../domain.exception';
import { DUMMY_HASH, verifyPassword } from './password-hasher';

export interface AuthUser {
  id: string;
  username: string;
  displayName: string;
  roles: Role[];
}

export interface TokenClaims {
  sub: string;
  username: string;
  displayName: string;
  roles: Role[];
}

const INVALID = 'Invalid username or password.';

@Injectable()
export class AuthService {
  constructor(
    private readonly jwt: JwtService,
    private readonly tx: TransactionRunner,
    private readonly users: UsersRepository,
    private readonly audit: AuditLogService,
  ) {}

  async login(username: string, password: string, client: { ip?: string }): Promise<{ accessToken: string; user: AuthUser }> {
    const user = await this.tx.none((tx) => this.users.findByUsername(tx, username));
    const ok = await verifyPassword(password, user?.passwordHash ?? DUMMY_HASH);
    if (!user || !ok || !user.active) {
      await this.tx.run((tx) =>
        this.audit.system(tx, { id: user?.id ?? null, roles: user?.roles ?? [] }, 'LOGIN_FAILED', {
          username,
          ip: client.ip ?? null,
          cause: !user ? 'unknown_user' : !ok ? 'bad_password' : 'inactive',
        }),
      );
      throw new DomainException(DomainErrorCode.Unauthorized, INVALID);
    }
    const roles = user.roles.filter((r): r is Role => (ROLES as readonly string[]).includes(r));
    await this.tx.run((tx) => this.audit.system(tx, { id: user.id, roles }, 'LOGIN_SUCCEEDED', { username, ip: client.ip ?? null }));
    const claims: TokenClaims = { sub: user.id, username: user.username, displayName: user.displayName, roles };
    return {
      accessToken: await this.jwt.signAsync(claims),
      user: { id: user.id, username: user.username, displayName: user.displayName, roles },
    };
  }

  /** Verifies a bearer token; any problem (bad signature, expiry, shape) is a 401. */
  async verify(token: string): Promise<AuthUser> {
    let claims: TokenClaims;
    try {
      claims = await this.jwt.verifyAsync<TokenClaims>(token);
    } catch (err) {
      const expired = err instanceof Error && err.name === 'TokenExpiredError';
      throw new DomainException(DomainErrorCode.Unauthorized, expired ? 'Your session has expired; log in again.' : 'The bearer token is not valid; log in again.');
    }
    if (typeof claims.sub !== 'string' || !Array.isArray(claims.roles)) {
      throw new DomainException(DomainErrorCode.Unauthorized, 'The bearer token is not valid; log in again.');
    }
    return { id: claims.sub, username: claims.username, displayName: claims.displayName, roles: claims.roles };
  }
}
