import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger, NotFoundException } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainErrorCode, DomainException } from '@app/case-workflow';
import { classifyDatabaseError, type DatabaseFailure } from '@app/persistence';
import { currentRequestId } from '../logging/request-context';
import { errorBody } from './error-body';
import { mapHttpAdapterError } from './http-adapter-errors';

interface Mapped {
  status: number;
  message: string;
  /** A Chinese sentence more specific than the status's summary, when the exception carries one. */
  messageZh?: string;
  details?: Record<string, unknown>;
}

function assertUnreachable(value: never): never {
  throw new Error(`Unhandled error code ${String(value)}`);
}

/** Every domain error code has exactly one status (the contract's table). */
function domainStatus(code: DomainErrorCode): number {
  switch (code) {
    case DomainErrorCode.InvalidInput:
      return 400;
    case DomainErrorCode.TooLarge:
      return 413;
    case DomainErrorCode.UnsupportedMediaType:
      return 415;
    case DomainErrorCode.Unauthorized:
      return 401;
    case DomainErrorCode.Forbidden:
      return 403;
    case DomainErrorCode.NotFound:
      return 404;
    case DomainErrorCode.Conflict:
    case DomainErrorCode.VersionConflict:
      return 409;
    case DomainErrorCode.EventNotAllowed:
    case DomainErrorCode.RuleViolated:
      return 422;
    case DomainErrorCode.TooManyRequests:
      return 429;
    case DomainErrorCode.Unavailable:
      return 503;
    default:
      return assertUnreachable(code);
  }
}

const INVALID_VALUE = 'A value in the request is not valid for its field (bad id, date, number or text).';

/** Retry-After of a 503 when the database is busy (a lock, a slow statement, a full pool) and when it is unreachable. */
const RETRY_AFTER_BUSY_SECONDS = 2;
const RETRY_AFTER_UNAVAILABLE_SECONDS = 5;

/** A 503 that nothing was written by, with Retry-After (the header, and `details.retryAfterSeconds`). */
const unavailable = (message: string, messageZh: string, retryAfterSeconds: number): Mapped => ({
  status: 503,
  message,
  messageZh,
  details: { retryAfterSeconds },
});

/** Database failures a request can meet, as the persistence layer classifies them. */
function databaseResponse(failure: DatabaseFailure): Mapped {
  switch (failure) {
    case 'invalid_value':
      return { status: 400, message: INVALID_VALUE };
    case 'duplicate':
      return { status: 409, message: 'A record with the same unique value already exists.' };
    case 'missing_reference':
      return { status: 422, message: 'The request refers to a record that does not exist.' };
    case 'concurrent_change':
      return { status: 409, message: 'A concurrent change conflicted with this request; reload and try again.' };
    case 'append_only':
      return { status: 403, message: 'The decision history is append-only: its entries cannot be changed or removed.' };
    case 'lock_timeout':
      return unavailable(
        'The records this request needs are locked by other work in the database and were not freed in time; try again shortly.',
        '所需数据正被其他操作锁定，请稍后重试',
        RETRY_AFTER_BUSY_SECONDS,
      );
    case 'statement_timeout':
      return unavailable(
        'The database took too long to answer this request, so it was cancelled; try again shortly.',
        '数据库响应超时，请稍后重试',
        RETRY_AFTER_BUSY_SECONDS,
      );
    case 'pool_exhausted':
      return unavailable(
        'The server is busy: every database connection is in use and none became free in time; try again shortly.',
        '服务繁忙，数据库连接已用尽，请稍后重试',
        RETRY_AFTER_BUSY_SECONDS,
      );
    case 'unavailable':
      return unavailable(
        'The database is unreachable or restarting; try again shortly.',
        '数据库暂时无法访问，请稍后重试',
        RETRY_AFTER_UNAVAILABLE_SECONDS,
      );
    default:
      return assertUnreachable(failure);
  }
}

/** A message as a sentence: ends with a full stop unless it ends with one already. */
const sentence = (m: string) => (m.endsWith('.') || m.endsWith('!') || m.endsWith('?') ? m : `${m}.`);

function flattenValidation(response: unknown): Mapped | null {
  const r = response as { message?: unknown };
  if (Array.isArray(r?.message)) {
    const errors = r.message.map(String);
    return { status: 400, message: `The request is not valid: ${errors.join('; ')}.`, details: { errors } };
  }
  return null;
}

/** The one place errors become HTTP responses: the contract's body, never a stack trace. */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const res = http.getResponse<FastifyReply>();
    const req = http.getRequest<FastifyRequest>();
    const mapped = this.map(exception, req);
    const requestId = currentRequestId() ?? req.id;
    if (mapped.status >= 500) {
      this.logger.error({
        msg: 'request failed',
        err: exception instanceof Error ? { message: exception.message, stack: exception.stack } : String(exception),
      });
    } else if (mapped.status === 401 || mapped.status === 403) {
      this.logger.warn({ msg: 'request refused', status: mapped.status, method: req.method, url: req.originalUrl, reason: mapped.message });
    }
    if (res.sent) return;
    const retryAfter = mapped.details?.retryAfterSeconds;
    if (typeof retryAfter === 'number') void res.header('retry-after', String(retryAfter));
    void res.status(mapped.status).send(errorBody(mapped.status, mapped.message, requestId, mapped.details, mapped.messageZh));
  }

  private map(exception: unknown, req: FastifyRequest): Mapped {
    if (exception instanceof DomainException) {
      return {
        status: domainStatus(exception.code),
        message: exception.message,
        details: exception.details,
        messageZh: exception.messageZh,
      };
    }
    if (exception instanceof HttpException) return this.mapHttp(exception, req);
    const failure = classifyDatabaseError(exception);
    if (failure) return databaseResponse(failure);
    const adapter = mapHttpAdapterError(exception);
    if (adapter) return adapter;
    return { status: 500, message: 'An unexpected error occurred; it has been logged with this request id.' };
  }

  /** Nest's own exceptions: the router's 404, the body parser's (Fastify's errors as the cause), the validation pipes' 400. */
  private mapHttp(exception: HttpException, req: FastifyRequest): Mapped {
    const status = exception.getStatus();
    const adapter = mapHttpAdapterError(exception.cause);
    if (adapter) return adapter;
    const response = exception.getResponse();
    const validation = status === 400 ? flattenValidation(response) : null;
    if (validation) return validation;
    // The application answers unknown ids with a DomainException: a NotFoundException is the router's.
    if (exception instanceof NotFoundException) {
      return { status, message: `Cannot ${req.method} ${req.originalUrl}: there is no such endpoint; see /api/docs.` };
    }
    const body = typeof response === 'string' ? undefined : (response as { message?: unknown }).message;
    return { status, message: sentence(typeof response === 'string' ? response : typeof body === 'string' ? body : exception.message) };
  }
}
