import createClient, { type Middleware } from 'openapi-fetch';
import type { paths } from '../api/schema';
import { session } from './session';

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

const auth: Middleware = {
  onRequest({ request }) {
    const s = session.get();
    if (s) request.headers.set('Authorization', `Bearer ${s.token}`);
    return request;
  },
  onResponse({ request, response }) {
    if (response.status === 401 && request.headers.has('Authorization')) {
      session.expire(window.location.pathname + window.location.search);
    }
    return response;
  },
};

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

/** A download through the authenticated client (CSV/JSON exports). */
export async function download(url: string, fileName: string): Promise<void> {
  const s = session.get();
  const res = await fetch(url, { headers: s ? { Authorization: `Bearer ${s.token}` } : {} });
  if (res.status === 401) session.expire(window.location.pathname + window.location.search);
  if (!res.ok) {
    const body = (await res.json().catch(() => ({}))) as ErrorBody;
    throw new ApiError(res.status, String(body.message ?? res.statusText), body.messageZh);
  }
  const blob = await res.blob();
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
}
