import createClient, { type Middleware } from 'openapi-fetch';
import type { paths } from '../api/schema';
import { session, type Session } from './session';

/** An error answer of the API: `{ statusCode, error, message, messageZh?, details? }`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly messageZh: string | undefined,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

interface ErrorBody {
  statusCode?: number;
  message?: string | string[];
  messageZh?: string;
  details?: unknown;
}

interface TokenAnswer {
  accessToken: string;
  refreshToken: string;
  accessTokenExpiresAt: string;
  user: Session['user'];
}

/**
 * A fresh Idempotency-Key (128 random bits, hex): one per submission, sent again with a retry of the
 * same submission so that the server answers it once. getRandomValues works outside secure contexts too.
 */
export function newIdempotencyKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

let refreshing: Promise<boolean> | null = null;

/**
 * Trades the refresh token for a new access token; one refresh at a time (every caller waiting on a
 * 401 or an expiring token shares it). False when the session has ended.
 */
function refresh(): Promise<boolean> {
  refreshing ??= (async () => {
    const s = session.get();
    if (!s?.refreshToken) return false;
    try {
      const res = await fetch('/api/auth/refresh', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ refreshToken: s.refreshToken }),
      });
      if (!res.ok) return false;
      const next = (await res.json()) as TokenAnswer;
      session.set({
        token: next.accessToken,
        refreshToken: next.refreshToken,
        accessTokenExpiresAt: next.accessTokenExpiresAt,
        user: next.user,
      });
      return true;
    } catch {
      return false;
    }
  })().finally(() => {
    refreshing = null;
  });
  return refreshing;
}

/** A token due to expire within this margin is refreshed before the request goes out. */
const REFRESH_MARGIN_MS = 60_000;
const retries = new WeakMap<Request, Request>();

/** Refreshes the access token first when it is about to expire. */
async function refreshIfDue(): Promise<void> {
  const s = session.get();
  if (s?.accessTokenExpiresAt && Date.parse(s.accessTokenExpiresAt) - Date.now() < REFRESH_MARGIN_MS) await refresh();
}

const auth: Middleware = {
  async onRequest({ request }) {
    await refreshIfDue();
    const s = session.get();
    if (s) {
      request.headers.set('Authorization', `Bearer ${s.token}`);
      retries.set(request, request.clone());
    }
    return request;
  },
  async onResponse({ request, response }) {
    if (response.status !== 401 || !request.headers.has('Authorization')) return response;
    const again = retries.get(request);
    // One more try with a refreshed token; when the session is over, back to the login page.
    if (again && (await refresh())) {
      again.headers.set('Authorization', `Bearer ${session.get()!.token}`);
      const second = await fetch(again);
      if (second.status !== 401) return second;
    }
    session.expire(window.location.pathname + window.location.search);
    return response;
  },
};

/** Ends the session on the server (its tokens stop working), then here. */
export async function logout(): Promise<void> {
  const s = session.get();
  if (s) await fetch('/api/auth/logout', { method: 'POST', headers: { Authorization: `Bearer ${s.token}` } }).catch(() => undefined);
  session.clear();
}

/** The typed client of the API (types generated from its OpenAPI document into api/schema.d.ts). */
export const api = createClient<paths>({ baseUrl: '' });
api.use(auth);

/** Unwraps an openapi-fetch result: the data, or an ApiError carrying the server's messages. */
export async function call<T>(p: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  const { data, error, response } = await p;
  if (response.ok) return data as T;
  const body = (error ?? {}) as ErrorBody;
  const message = Array.isArray(body.message) ? body.message.join('; ') : (body.message ?? response.statusText);
  throw new ApiError(response.status, message, body.messageZh, body.details);
}

/**
 * A request outside the typed client (file downloads and multipart uploads), with the same session
 * handling: a token near expiry is refreshed first, a 401 is retried once after a refresh, and an ended
 * session goes back to the login page. An error answer becomes an ApiError with the server's messages.
 */
async function authorised(url: string, init: RequestInit = {}): Promise<Response> {
  const send = () => {
    const s = session.get();
    return fetch(url, { ...init, headers: { ...(s ? { Authorization: `Bearer ${s.token}` } : {}), ...init.headers } });
  };
  await refreshIfDue();
  let res = await send();
  if (res.status === 401 && (await refresh())) res = await send();
  if (res.status === 401) session.expire(window.location.pathname + window.location.search);
  if (!res.ok) {
    const body = (await res.json().catch(() => ({}))) as ErrorBody;
    const message = Array.isArray(body.message) ? body.message.join('; ') : (body.message ?? res.statusText);
    throw new ApiError(res.status, message, body.messageZh, body.details);
  }
  return res;
}

/** Sends one file as multipart (field `file`) and returns the JSON answer. */
export async function uploadFile<T>(url: string, file: File): Promise<T> {
  const form = new FormData();
  form.append('file', file, file.name);
  const res = await authorised(url, { method: 'POST', body: form });
  return (await res.json()) as T;
}

/** A download through the authenticated client (exports, evidence files, issued documents). */
export async function download(url: string, fileName: string): Promise<void> {
  const res = await authorised(url);
  const blob = await res.blob();
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
}
