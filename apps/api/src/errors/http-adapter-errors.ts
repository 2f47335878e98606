/** The errors the HTTP adapter (Fastify) raises before a request reaches a handler, as contract answers. */
export interface AdapterErrorAnswer {
  status: number;
  message: string;
}

const JSON_ONLY = 'Send a JSON body with Content-Type application/json.';

/** Fastify's error codes for a request it cannot read (Nest passes them on as an HttpException's cause). */
const ANSWERS: Record<string, AdapterErrorAnswer> = {
  FST_ERR_CTP_INVALID_JSON_BODY: { status: 400, message: 'The request body is not valid JSON.' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { status: 400, message: 'The request body is empty; send a JSON object.' },
  FST_ERR_CTP_BODY_TOO_LARGE: { status: 413, message: 'The request body is too large (at most 1 MiB of JSON).' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { status: 415, message: `The request body's type is not supported. ${JSON_ONLY}` },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { status: 400, message: 'The request body does not match its Content-Length.' },
  FST_ERR_MAX_PARAM_LENGTH: { status: 414, message: 'A path segment of the URL is too long (ids are UUIDs).' },
  FST_ERR_BAD_URL: { status: 400, message: 'The URL is not valid: it has a broken percent-encoding.' },
};

/** The answer for an adapter error, or null when `error` is not one. */
export function mapHttpAdapterError(error: unknown): AdapterErrorAnswer | null {
  const code = (error as { code?: unknown } | null | undefined)?.code;
  if (typeof code !== 'string' || !code.startsWith('FST_')) return null;
  const known = ANSWERS[code];
  if (known) return known;
  const status = (error as { statusCode?: unknown }).statusCode;
  return typeof status === 'number' && status >= 400 && status < 500
    ? { status, message: 'The request could not be read. ' + JSON_ONLY }
    : null;
}
