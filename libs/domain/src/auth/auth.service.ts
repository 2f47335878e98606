import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { ROLES, type Role } from '@app/case-workflow';
import { HistoryRecorder, TransactionRunner, UsersRepository } from '@app/persistence';
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

/** How many verified tokens to remember (oldest forgotten first). */
const VERIFIED_TOKENS_KEPT = 10_000;

@Injectable()
export class AuthService {
  constructor(
    private readonly jwt: JwtService,
    private readonly tx: TransactionRunner,
    private readonly users: UsersRepository,
    private readonly recorder: HistoryRecorder,
  ) {}

  async login(username: string, password: string, client: { ip?: string }): Promise<{ accessToken: string; user: AuthUser }> {
    const user = await this.tx.none((tx) => this.users.findByUsername(tx, username));
    const ok = await verifyPassword(password, user?.passwordHash ?? DUMMY_HASH);
    if (!user || !ok || !user.active) {
      await this.tx.run((tx) =>
        this.recorder.append(tx, {
          kind: 'system',
          actor: { id: user?.id ?? null, roles: user?.roles ?? [] },
          at: new Date().toISOString(),
          type: 'LOGIN_FAILED',
          payload: {
            username,
            ip: client.ip ?? null,
            cause: !user ? 'unknown_user' : !ok ? 'bad_password' : 'inactive',
          },
        }),
      );
      throw new DomainException(DomainErrorCode.Unauthorized, INVALID);
    }
    const roles = user.roles.filter((r): r is Role => (ROLES as readonly string[]).includes(r));
    await this.tx.run((tx) =>
      this.recorder.append(tx, {
        kind: 'system',
        actor: { id: user.id, roles },
        at: new Date().toISOString(),
        type: 'LOGIN_SUCCEEDED',
        payload: { username, ip: client.ip ?? null },
      }),
    );
    const claims: TokenClaims = { sub: user.id, username: user.username, displayName: user.displayName, roles };
    return {
      accessToken: await this.jwt.signAsync(claims),
      user: { id: user.id, username: user.username, displayName: user.displayName, roles },
    };
  }

  /**
   * Tokens whose signature was checked, with their expiry: a client sends the same token on every
   * request, and checking an HMAC and parsing the token each time is a measurable share of an event.
   * Bounded; an entry is used only until the token's own expiry.
   */
  private readonly verified = new Map<string, { user: AuthUser; expiresAt: number }>();

  /** Verifies a bearer token; any problem (bad signature, expiry, shape) is a 401. */
  async verify(token: string): Promise<AuthUser> {
    const hit = this.verified.get(token);
    if (hit && hit.expiresAt > Date.now()) return hit.user;
    const user = await this.verifyToken(token);
    if (this.verified.size >= VERIFIED_TOKENS_KEPT) this.verified.delete(this.verified.keys().next().value!);
    return user;
  }

  private async verifyToken(token: string): Promise<AuthUser> {
    let claims: TokenClaims & { exp?: number };
    try {
      claims = await this.jwt.verifyAsync<TokenClaims>(token);
    } catch (err) {
      const expired = err instanceof Error && err.name === 'TokenExpiredError';
      throw new DomainException(
        DomainErrorCode.Unauthorized,
        expired ? 'Your session has expired; log in again.' : 'The bearer token is not valid; log in again.',
      );
    }
    if (typeof claims.sub !== 'string' || !Array.isArray(claims.roles)) {
      throw new DomainException(DomainErrorCode.Unauthorized, 'The bearer token is not valid; log in again.');
    }
    const user = { id: claims.sub, username: claims.username, displayName: claims.displayName, roles: claims.roles };
    if (typeof claims.exp === 'number') this.verified.set(token, { user, expiresAt: claims.exp * 1000 });
    return user;
  }
}
