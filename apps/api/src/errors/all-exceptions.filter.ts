import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { QueryFailedError } from 'typeorm';
import { DatabaseError } from 'pg';
import { CaseException, CaseExceptionCode } from '@app/case-workflow';
import { DomainErrorCode, DomainException } from '@app/domain';
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

function caseStatus(code: CaseExceptionCode): number {
  switch (code) {
    case CaseExceptionCode.NotFound:
      return 404;
    case CaseExceptionCode.VersionConflict:
      return 409;
    case CaseExceptionCode.Forbidden:
      return 403;
    case CaseExceptionCode.EventNotAllowed:
    case CaseExceptionCode.RuleViolated:
      return 422;
    case CaseExceptionCode.InvalidInput:
      return 400;
    default:
      return assertUnreachable(code);
  }
}

function domainStatus(code: DomainErrorCode): number {
  switch (code) {
    case DomainErrorCode.Unauthorized:
      return 401;
    case DomainErrorCode.Forbidden:
      return 403;
    case DomainErrorCode.NotFound:
      return 404;
    case DomainErrorCode.Conflict:
    case DomainErrorCode.VersionConflict:
      return 409;
    case DomainErrorCode.RuleViolated:
      return 422;
    case DomainErrorCode.InvalidInput:
      return 400;
    default:
      return assertUnreachable(code);
  }
}

/** PostgreSQL errors a client's input can cause, mapped to 4xx; everything else is ours. */
/**
 * Maps a PostgreSQL error by its SQLSTATE, whether TypeORM wrapped it (`QueryFailedError`) or it came
 * straight from `pg` (the hot path's named statements).
 */
function mapDatabaseError(code: string): Mapped | null {
  if (code.startsWith('22')) {
    // Class 22, data exception: a value the request carried that the column cannot hold.
    return { status: 400, message: 'A value in the request is not valid for its field (bad id, date, number or text).' };
  }
  switch (code) {
    case '23505':
      return { status: 409, message: 'A record with the same unique value already exists.' };
    case '23503':
      return { status: 422, message: 'The request refers to a record that does not exist.' };
    case '54000':
      return { status: 400, message: 'A value in the request is not valid for its field (bad id, date, number or text).' };
    case '40001':
    case '40P01':
      return { status: 409, message: 'A concurrent change conflicted with this request; reload and try again.' };
    case 'PCA01':
      return { status: 403, message: 'The decision history is append-only: its entries cannot be changed or removed.' };
    case '57014':
    case '53300':
    case '57P01':
      return { status: 503, message: 'The database is busy or restarting; try again shortly.' };
    default:
      return null;
  }
}

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
    const mapped = this.map(exception);
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
    void res.status(mapped.status).send(errorBody(mapped.status, mapped.message, requestId, mapped.details));
  }

  private map(exception: unknown): Mapped {
    if (exception instanceof CaseException)
      return { status: caseStatus(exception.code), message: exception.message, details: exception.details };
    if (exception instanceof DomainException)
      return { status: domainStatus(exception.code), message: exception.message, details: exception.details };
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const adapter = mapHttpAdapterError(exception.cause);
      if (adapter) return adapter;
      const response = exception.getResponse();
      const validation = status === 400 ? flattenValidation(response) : null;
      if (validation) return validation;
      if (status === 404 && /^Cannot (GET|POST|PUT|PATCH|DELETE)/.test(exception.message)) {
        return { status, message: `${exception.message}: there is no such endpoint; see /api/docs.` };
      }
      const body = typeof response === 'string' ? undefined : (response as { message?: unknown }).message;
      const message = typeof response === 'string' ? response : typeof body === 'string' ? body : exception.message;
      return { status, message: /[.!?]$/.test(message) ? message : `${message}.` };
    }
    const sqlState =
      exception instanceof QueryFailedError
        ? (exception.driverError as { code?: unknown } | undefined)?.code
        : exception instanceof DatabaseError
          ? exception.code
          : undefined;
    if (typeof sqlState === 'string') {
      const db = mapDatabaseError(sqlState);
      if (db) return db;
    }
    const adapter = mapHttpAdapterError(exception);
    if (adapter) return adapter;
    const code = (exception as { code?: unknown })?.code ?? (exception as { driverError?: { code?: unknown } })?.driverError?.code;
    if (typeof code === 'string' && /^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|08...|57P0.|3D000|53...)$/.test(code)) {
      return { status: 503, message: 'The database is unreachable or restarting; try again shortly.' };
    }
    if (exception instanceof Error && /Connection terminated|timeout exceeded when trying to connect/i.test(exception.message)) {
      return { status: 503, message: 'The database is unreachable or restarting; try again shortly.' };
    }
    return { status: 500, message: 'An unexpected error occurred; it has been logged with this request id.' };
  }
}
