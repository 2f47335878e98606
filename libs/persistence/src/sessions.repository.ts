import { Injectable } from '@nestjs/common';
import type { Tx } from './transaction';

/** A session joined with its user: what every authenticated request is checked against. */
export interface SessionPrincipal {
  sessionId: string;
  userId: string;
  username: string;
  displayName: string;
  roles: string[];
  active: boolean;
  demo: boolean;
  expiresAt: number;
  revoked: boolean;
}

export interface SessionRecord {
  id: string;
  userId: string;
  expiresAt: string;
  refreshGeneration: number;
  revokedAt: string | null;
}

interface PrincipalRow {
  session_id: string;
  user_id: string;
  username: string;
  display_name: string;
  roles: string[];
  active: boolean;
  demo: boolean;
  expires_at: Date;
  revoked_at: Date | null;
}

interface SessionRow {
  id: string;
  user_id: string;
  expires_at: Date;
  refresh_generation: number;
  revoked_at: Date | null;
}

const toSession = (r: SessionRow): SessionRecord => ({
  id: r.id,
  userId: r.user_id,
  expiresAt: r.expires_at.toISOString(),
  refreshGeneration: r.refresh_generation,
  revokedAt: r.revoked_at?.toISOString() ?? null,
});

const SESSION_COLUMNS = 'id, user_id, expires_at, refresh_generation, revoked_at';

@Injectable()
export class SessionsRepository {
  async create(tx: Tx, userId: string, ttlSeconds: number): Promise<SessionRecord> {
    const rows = await tx.manager.query<SessionRow[]>(
      `INSERT INTO auth_sessions (user_id, expires_at) VALUES ($1, now() + make_interval(secs => $2)) RETURNING ${SESSION_COLUMNS}`,
      [userId, ttlSeconds],
    );
    return toSession(rows[0]);
  }

  /** The session with its user, in one indexed read (a named statement: it runs on cache misses). */
  async principal(tx: Tx, sessionId: string): Promise<SessionPrincipal | null> {
    const rows = await tx.prepared<PrincipalRow>(
      'pcw_session_principal',
      `SELECT s.id AS session_id, s.user_id, u.username, u.display_name, u.roles, u.active, u.demo, s.expires_at, s.revoked_at
         FROM auth_sessions s JOIN users u ON u.id = s.user_id WHERE s.id = $1`,
      [sessionId],
    );
    const r = rows[0];
    if (!r) return null;
    return {
      sessionId: r.session_id,
      userId: r.user_id,
      username: r.username,
      displayName: r.display_name,
      roles: r.roles,
      active: r.active,
      demo: r.demo,
      expiresAt: r.expires_at.getTime(),
      revoked: r.revoked_at !== null,
    };
  }

  async find(tx: Tx, sessionId: string): Promise<SessionRecord | null> {
    const rows = await tx.manager.query<SessionRow[]>(`SELECT ${SESSION_COLUMNS} FROM auth_sessions WHERE id = $1`, [sessionId]);
    return rows[0] ? toSession(rows[0]) : null;
  }

  /**
   * Moves a live session from `generation` to the next one; null when the session is revoked, expired
   * or already past that generation (two refreshes with one token: exactly one succeeds).
   */
  async rotate(tx: Tx, sessionId: string, generation: number): Promise<SessionRecord | null> {
    const rows = await tx.manager.query<[SessionRow[], number]>(
      `UPDATE auth_sessions SET refresh_generation = refresh_generation + 1, refreshed_at = now()
        WHERE id = $1 AND refresh_generation = $2 AND revoked_at IS NULL AND expires_at > now()
        RETURNING ${SESSION_COLUMNS}`,
      [sessionId, generation],
    );
    return rows[0][0] ? toSession(rows[0][0]) : null;
  }

  /** Revokes one session; returns it when this call revoked it (null when unknown or already revoked). */
  async revoke(tx: Tx, sessionId: string, reason: string): Promise<SessionRecord | null> {
    const rows = await tx.manager.query<[SessionRow[], number]>(
      `UPDATE auth_sessions SET revoked_at = now(), revoked_reason = $2 WHERE id = $1 AND revoked_at IS NULL RETURNING ${SESSION_COLUMNS}`,
      [sessionId, reason],
    );
    return rows[0][0] ? toSession(rows[0][0]) : null;
  }

  /** Revokes every live session of a user; returns how many. */
  async revokeAllOf(tx: Tx, userId: string, reason: string): Promise<number> {
    const rows = await tx.manager.query<[SessionRow[], number]>(
      `UPDATE auth_sessions SET revoked_at = now(), revoked_reason = $2 WHERE user_id = $1 AND revoked_at IS NULL RETURNING ${SESSION_COLUMNS}`,
      [userId, reason],
    );
    return rows[1];
  }
}
