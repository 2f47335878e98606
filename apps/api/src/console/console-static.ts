import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Logger } from 'pino';
import { findRepoRoot } from '@app/config';
import { isApiUrl } from '../security/security-headers';

/** Where `npm run build` puts the review console (apps/console). */
export const CONSOLE_DIR = join(findRepoRoot(__dirname), 'dist', 'console');

/**
 * The review console at `/` and every path outside `/api`: its files by name (hashed assets cached for
 * good), any other path the single page's index.html (its router takes over). An unknown `/api/…`
 * path is handed to Nest's not-found handler, so it stays the API's JSON 404.
 */
export function registerConsole(app: NestFastifyApplication, logger: Logger, dir = CONSOLE_DIR): void {
  const fastify = app.getHttpAdapter().getInstance();
  if (!existsSync(join(dir, 'index.html'))) {
    logger.warn({ dir }, 'The review console is not built (npm run build builds it); / will answer 404');
    return;
  }
  void fastify.register(fastifyStatic, {
    root: dir,
    wildcard: false, // one route per built file; the page fallback below handles every other path
    index: false,
    dotfiles: 'ignore',
    setHeaders: (res, path) => {
      void res.header('Cache-Control', /[\\/]assets[\\/]/.test(path) ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });
  fastify.get('/*', (request, reply) => {
    if (isApiUrl(request.url)) return reply.callNotFound();
    return reply.header('Cache-Control', 'no-cache').sendFile('index.html');
  });
}
