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
    default:
      return assertUnreachable(code);
  }
}

const INVALID_VALUE = 'A value in the request is not valid for its field (bad id, date, number or text).';

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
    case 'unavailable':
      return { status: 503, message: 'The database is unreachable or restarting; try again shortly.' };
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
    void res.status(mapped.status).send(errorBody(mapped.status, mapped.message, requestId, mapped.details));
  }

  private map(exception: unknown, req: FastifyRequest): Mapped {
    if (exception instanceof DomainException) {
      return { status: domainStatus(exception.code), message: exception.message, details: exception.details };
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
