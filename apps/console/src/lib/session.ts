import { useSyncExternalStore } from 'react';

/** The signed-in person, as `POST /api/auth/login` returned them. */
export interface SessionUser {
  id: string;
  username: string;
  displayName: string;
  roles: string[];
}
export interface Session {
  token: string;
  user: SessionUser;
  /** Traded at POST /api/auth/refresh for the next access token (each works once). */
  refreshToken?: string;
  accessTokenExpiresAt?: string;
}

const KEY = 'pcw.session';
const listeners = new Set<() => void>();
let current: Session | null = read();
/** Where the person was when their token stopped working (401), to return there after login. */
let expiredAt: string | null = null;

function read(): Session | null {
  try {
    const raw = localStorage.getItem(KEY);
    return raw ? (JSON.parse(raw) as Session) : null;
  } catch {
    return null;
  }
}

function emit() {
  listeners.forEach((l) => l());
}

export const session = {
  get: () => current,
  set(next: Session) {
    current = next;
    expiredAt = null;
    localStorage.setItem(KEY, JSON.stringify(next));
    emit();
  },
  clear() {
    current = null;
    localStorage.removeItem(KEY);
    emit();
  },
  /** A 401 on an authenticated call: forget the token, remember the page. */
  expire(returnTo: string) {
    if (!current) return;
    expiredAt = returnTo;
    session.clear();
  },
  takeExpiredAt(): string | null {
    const at = expiredAt;
    expiredAt = null;
    return at;
  },
  subscribe: (l: () => void) => {
    listeners.add(l);
    return () => {
      listeners.delete(l);
    };
  },
};

export function useSession(): Session | null {
  return useSyncExternalStore(session.subscribe, session.get);
}

export function hasRole(s: Session | null, ...roles: string[]): boolean {
  return !!s && s.user.roles.some((r) => roles.includes(r));
}
