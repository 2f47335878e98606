import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { requestContext } from './request-context';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** The request's id: the caller's `x-request-id` when it is sane, else a new UUID (Fastify's `genReqId`). */
export function requestIdOf(req: IncomingMessage): string {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
}

/**
 * Echoes the request id, runs the handler inside its context (so every log line written while serving
 * it carries the id) and logs one line when the response has been sent.
 */
export function registerRequestLogging(fastify: FastifyInstance, logger: Logger): void {
  fastify.addHook('onRequest', (request, reply, done) => {
    void reply.header('x-request-id', request.id);
    done();
  });
  // After body parsing (whose stream events would lose the context), right before the handler.
  fastify.addHook('preHandler', (request, _reply, done) => requestContext.run({ requestId: request.id }, done));
  fastify.addHook('onResponse', (request, reply, done) => {
    const status = reply.statusCode;
    const level = status >= 500 ? 'error' : status >= 400 ? 'warn' : 'info';
    if (logger.isLevelEnabled(level)) {
      logger[level](
        { requestId: request.id, method: request.method, url: request.originalUrl, status, ms: reply.elapsedTime },
        'request completed',
      );
    }
    done();
  });
}
