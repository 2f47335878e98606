import { createHmac, timingSafeEqual } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { ROLES, type Role } from '@app/case-workflow';
import { AppConfigService } from '@app/config';
import {
  HistoryRecorder,
  SessionsRepository,
  TransactionRunner,
  UsersRepository,
  type SessionPrincipal,
  type SessionRecord,
  type Tx,
} from '@app/persistence';
import { DomainErrorCode, DomainException } from '../domain.exception';
import { DEMO_PASSWORD } from '../seed/demo-password';
import { LoginThrottleService } from './login-throttle.service';
import { DUMMY_HASH, verifyPassword } from './password-hasher';
import { SessionCache } from './session-cache';
import { Clock } from '../clock';

export interface AuthUser {
  id: string;
  username: string;
  displayName: string;
  roles: Role[];
}

/** The caller of a request: the user as the database has them now, and the session the token names. */
export interface AuthPrincipal {
  user: AuthUser;
  sessionId: string;
}

/** What an access token carries. Roles are not in it: they are read from the database. */
export interface TokenClaims {
  sub: string;
  sid: string;
  username: string;
  displayName: string;
}

export interface SessionTokens {
  accessToken: string;
  accessTokenExpiresAt: string;
  refreshToken: string;
  refreshTokenExpiresAt: string;
  user: AuthUser;
}

const INVALID = 'Invalid username or password.';
const BAD_TOKEN = 'The bearer token is not valid; log in again.';
const ENDED = 'Your session has ended (logged out, revoked or expired); log in again.';
const BAD_REFRESH = 'The refresh token is not valid or has been used; log in again.';

/** How many verified tokens to remember (oldest forgotten first). */
const VERIFIED_TOKENS_KEPT = 10_000;

const knownRoles = (roles: string[]): Role[] => roles.filter((r): r is Role => (ROLES as readonly string[]).includes(r));

@Injectable()
export class AuthService {
  constructor(
    private readonly clock: Clock,
    private readonly jwt: JwtService,
    private readonly tx: TransactionRunner,
    private readonly users: UsersRepository,
    private readonly sessions: SessionsRepository,
    private readonly cache: SessionCache,
    private readonly recorder: HistoryRecorder,
    private readonly config: AppConfigService,
    private readonly throttle: LoginThrottleService,
  ) {}

  private get demoUsersAllowed(): boolean {
    return this.config.get('demoUsersAllowed');
  }

  /**
   * Checks a password. Throttled per account and per source address (429 while either must wait);
   * every attempt is audited, and a lock this attempt caused is audited as LOGIN_LOCKED beside it.
   */
  async login(username: string, password: string, client: { ip?: string }): Promise<SessionTokens> {
    const ip = client.ip ?? 'unknown';
    await this.throttle.begin(username, ip);
    let settled = false;
    try {
      const user = await this.tx.none((tx) => this.users.findByUsername(tx, username));
      const ok = await verifyPassword(password, user?.passwordHash ?? DUMMY_HASH);
      // Demo users seeded before they were flagged are recognised by their password.
      const demoRefused = !!user && ok && (user.demo || password === DEMO_PASSWORD) && !this.demoUsersAllowed;
      if (!user || !ok || !user.active || demoRefused) {
        await this.tx.run(async (tx) => {
          const locks = await this.throttle.settle(tx, username, ip, 'failed');
          const actor = { id: user?.id ?? null, roles: user?.roles ?? [] };
          await this.record(tx, actor, 'LOGIN_FAILED', {
            username,
            ip,
            cause: !user ? 'unknown_user' : !ok ? 'bad_password' : !user.active ? 'inactive' : 'demo_user_refused',
          });
          for (const lock of locks) await this.record(tx, actor, 'LOGIN_LOCKED', { ...lock, username, ip });
        });
        settled = true;
        throw new DomainException(DomainErrorCode.Unauthorized, INVALID);
      }
      const roles = knownRoles(user.roles);
      const session = await this.tx.run(async (tx) => {
        await this.throttle.settle(tx, username, ip, 'succeeded');
        const s = await this.sessions.create(tx, user.id, this.config.get('sessionTtlSeconds'));
        await this.record(tx, { id: user.id, roles }, 'LOGIN_SUCCEEDED', { username, ip, sessionId: s.id });
        return s;
      });
      settled = true;
      return this.issue(session, { id: user.id, username: user.username, displayName: user.displayName, roles });
    } finally {
      if (!settled) await this.tx.run((tx) => this.throttle.settle(tx, username, ip, 'abandoned')).catch(() => undefined);
    }
  }

  /**
   * Trades a refresh token for a new access token and the session's next refresh token. Each refresh
   * token works once: presenting a spent one (a copy someone else used first, or the other way round)
   * revokes the whole session.
   */
  async refresh(refreshToken: string): Promise<SessionTokens> {
    const parsed = this.parseRefreshToken(refreshToken);
    if (!parsed) throw new DomainException(DomainErrorCode.Unauthorized, BAD_REFRESH);
    const { sessionId, generation } = parsed;
    const outcome = await this.tx.run(async (tx) => {
      const rotated = await this.sessions.rotate(tx, sessionId, generation);
      if (rotated) {
        const p = await this.sessions.principal(tx, sessionId);
        if (!p || this.refusal(p, this.clock.now().getTime())) throw new DomainException(DomainErrorCode.Unauthorized, ENDED);
        return { session: rotated, principal: p };
      }
      const s = await this.sessions.find(tx, sessionId);
      if (s && s.revokedAt === null && generation < s.refreshGeneration && (await this.sessions.revoke(tx, sessionId, 'refresh_reused'))) {
        await this.recorder.append(tx, {
          kind: 'system',
          actor: { id: s.userId, roles: [] },
          at: this.clock.nowIso(),
          type: 'SESSION_REVOKED',
          payload: {
            sessionId,
            userId: s.userId,
            cause: 'refresh_token_reused',
          },
        });
        return 'reused' as const;
      }
      return null;
    });
    if (outcome === 'reused') this.cache.changed('session', sessionId);
    if (!outcome || outcome === 'reused') throw new DomainException(DomainErrorCode.Unauthorized, BAD_REFRESH);
    const p = outcome.principal;
    return this.issue(outcome.session, { id: p.userId, username: p.username, displayName: p.displayName, roles: knownRoles(p.roles) });
  }

  /** Ends the session: its access tokens and its refresh token stop working at once, in every process. */
  async logout(caller: AuthPrincipal): Promise<void> {
    await this.tx.run(async (tx) => {
      if (await this.sessions.revoke(tx, caller.sessionId, 'logout')) {
        await this.recorder.append(tx, {
          kind: 'system',
          actor: { id: caller.user.id, roles: caller.user.roles },
          at: this.clock.nowIso(),
          type: 'LOGOUT',
          payload: { sessionId: caller.sessionId },
        });
      }
    });
    this.cache.changed('session', caller.sessionId);
  }

  /**
   * Tokens whose signature was checked, with their expiry: a client sends the same token on every
   * request, and checking an HMAC and parsing the token each time is a measurable share of an event.
   * Bounded; an entry is used only until the token's own expiry. Whether its session and user are
   * still good is checked on every request (SessionCache).
   */
  private readonly verified = new Map<string, { claims: TokenClaims; expiresAt: number }>();

  /** Verifies a bearer token and its session; any problem (signature, expiry, session, user) is a 401. */
  async verify(token: string): Promise<AuthPrincipal> {
    const now = this.clock.now().getTime();
    let hit = this.verified.get(token);
    if (!hit || hit.expiresAt <= now) {
      hit = await this.verifyToken(token);
      if (this.verified.size >= VERIFIED_TOKENS_KEPT) this.verified.delete(this.verified.keys().next().value!);
      this.verified.set(token, hit);
    }
    const { claims } = hit;
    let p = this.cache.get(claims.sid, now);
    if (!p) {
      const epoch = this.cache.mark();
      p = (await this.tx.none((tx) => this.sessions.principal(tx, claims.sid))) ?? undefined;
      if (p) this.cache.put(p, now, epoch);
    }
    if (!p || p.userId !== claims.sub) throw new DomainException(DomainErrorCode.Unauthorized, BAD_TOKEN);
    const refused = this.refusal(p, now);
    if (refused) throw new DomainException(DomainErrorCode.Unauthorized, refused);
    return { user: { id: p.userId, username: p.username, displayName: p.displayName, roles: knownRoles(p.roles) }, sessionId: p.sessionId };
  }

  /** One entry on the system chain. */
  private record(tx: Tx, actor: { id: string | null; roles: readonly string[] }, type: string, payload: Record<string, unknown>) {
    return this.recorder.append(tx, {
      kind: 'system',
      actor: { id: actor.id, roles: [...actor.roles] },
      at: this.clock.nowIso(),
      type,
      payload,
    });
  }

  private refusal(p: SessionPrincipal, now: number): string | null {
    if (p.revoked || p.expiresAt <= now) return ENDED;
    if (!p.active) return 'This account has been deactivated; ask an administrator.';
    if (p.demo && !this.demoUsersAllowed) return 'Demo users cannot sign in outside demo mode.';
    return null;
  }

  private async verifyToken(token: string): Promise<{ claims: TokenClaims; expiresAt: number }> {
    let claims: TokenClaims & { exp?: number };
    try {
      claims = await this.jwt.verifyAsync<TokenClaims & { exp?: number }>(token);
    } catch (err) {
      const expired = err instanceof Error && err.name === 'TokenExpiredError';
      throw new DomainException(DomainErrorCode.Unauthorized, expired ? 'Your session has expired; log in again.' : BAD_TOKEN);
    }
    if (typeof claims.sub !== 'string' || typeof claims.sid !== 'string' || typeof claims.exp !== 'number') {
      throw new DomainException(DomainErrorCode.Unauthorized, BAD_TOKEN);
    }
    return { claims, expiresAt: claims.exp * 1000 };
  }

  private async issue(session: SessionRecord, user: AuthUser): Promise<SessionTokens> {
    const claims: TokenClaims = { sub: user.id, sid: session.id, username: user.username, displayName: user.displayName };
    const accessToken = await this.jwt.signAsync(claims);
    const { exp } = this.jwt.decode<{ exp: number }>(accessToken);
    return {
      accessToken,
      accessTokenExpiresAt: new Date(exp * 1000).toISOString(),
      refreshToken: this.refreshToken(session.id, session.refreshGeneration),
      refreshTokenExpiresAt: session.expiresAt,
      user,
    };
  }

  /** `rt1.<sessionId>.<generation>.<mac>`: the mac, keyed by the signing secret, makes it unforgeable. */
  private refreshToken(sessionId: string, generation: number): string {
    return `rt1.${sessionId}.${generation}.${this.mac(sessionId, generation).toString('base64url')}`;
  }

  private mac(sessionId: string, generation: number): Buffer {
    return createHmac('sha256', this.config.get('jwtSecret')).update(`refresh:${sessionId}:${generation}`).digest();
  }

  private parseRefreshToken(token: string): { sessionId: string; generation: number } | null {
    const m = /^rt1\.([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.(\d{1,9})\.([A-Za-z0-9_-]{43})$/.exec(token);
    if (!m) return null;
    const generation = Number(m[2]);
    const given = Buffer.from(m[3], 'base64url');
    const expected = this.mac(m[1], generation);
    return given.length === expected.length && timingSafeEqual(given, expected) ? { sessionId: m[1], generation } : null;
  }
}
