import type { SecurityHeadersOptions } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';

/**
 * The headers on every response (Nest's built-in `useSecurityHeaders`, helmet's set): a
 * Content-Security-Policy for the console served at `/` (its scripts are files of its own; antd writes
 * its styles inline), no framing by anyone, no MIME sniffing, no referrer.
 */
export const SECURITY_HEADERS: SecurityHeadersOptions = {
  contentSecurityPolicy: {
    useDefaults: false,
    directives: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      scriptSrcAttr: ["'none'"],
      styleSrc: ["'self'", "'unsafe-inline'"],
      imgSrc: ["'self'", 'data:'],
      fontSrc: ["'self'", 'data:'],
      connectSrc: ["'self'"],
      objectSrc: ["'none'"],
      baseUri: ["'self'"],
      formAction: ["'self'"],
      frameAncestors: ["'none'"],
      // No upgrade-insecure-requests: an intranet install may serve the console over plain HTTP.
    },
  },
  xFrameOptions: { action: 'deny' },
  referrerPolicy: { policy: 'no-referrer' },
};

/** Security headers everywhere, and `Cache-Control: no-store` on every `/api` response unless a handler sets its own. */
export function registerSecurityHeaders(app: NestFastifyApplication): void {
  app.useSecurityHeaders(SECURITY_HEADERS);
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onRequest', (request, reply, done) => {
      if (isApiUrl(request.url)) void reply.header('Cache-Control', 'no-store');
      done();
    });
}

/** Whether a request URL is the API's (everything else is the console). */
export function isApiUrl(url: string): boolean {
  return url === '/api' || url.startsWith('/api/') || url.startsWith('/api?');
}
