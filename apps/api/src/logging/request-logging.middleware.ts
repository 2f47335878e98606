import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { requestContext } from './request-context';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Gives every request an id (the caller's `x-request-id` when it is sane, else a new UUID), echoes
 * it back, runs the request inside that context (so every log line carries it), and logs one line
 * when the response has been sent.
 */
export function requestLogging(logger: Logger) {
  return (req: IncomingMessage & { id?: string; originalUrl?: string }, res: ServerResponse, next: () => void) => {
    const given = req.headers['x-request-id'];
    const id = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    req.id = id;
    res.setHeader('x-request-id', id);
    const started = process.hrtime.bigint();
    requestContext.run({ requestId: id }, () => {
      res.on('finish', () => {
        const status = res.statusCode;
        const level = status >= 500 ? 'error' : status >= 400 ? 'warn' : 'info';
        const line = () =>
          logger[level](
            {
              method: req.method,
              url: req.originalUrl ?? req.url,
              status,
              ms: Number(process.hrtime.bigint() - started) / 1e6,
            },
            'request completed',
          );
        requestContext.run({ requestId: id }, line);
      });
      next();
    });
  };
}
