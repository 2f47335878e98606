import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger, NotFoundException } from '@nestjs/common';
import type { Request, Response } from 'express';
import { DomainErrorCode, DomainException } from '@app/case-workflow';
import { classifyDatabaseError, type DatabaseFailure } from '@app/persistence';
import { currentRequestId } from '../logging/request-context';

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

const ZH: Record<number, string> = {
  400: '请求参数有误',
  401: '未登录或登录已失效',
  403: '无权执行此操作',
  404: '资源不存在',
  409: '版本冲突或资源冲突，请刷新后重试',
  413: '请求体过大',
  422: '当前状态不允许此操作或不满足规则',
  500: '服务器内部错误',
  503: '服务暂不可用',
};

/** A message as a sentence: ends with a full stop unless it ends with one already. */
const withoutFullStop = (m: string) => (m.endsWith('.') ? m.slice(0, -1) : m);
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
    const res = http.getResponse<Response>();
    const req = http.getRequest<Request>();
    const mapped = this.map(exception, req);
    const requestId = currentRequestId() ?? String((req as Request & { id?: string }).id ?? '');
    if (mapped.status >= 500) {
      this.logger.error({
        msg: 'request failed',
        err: exception instanceof Error ? { message: exception.message, stack: exception.stack } : String(exception),
      });
    } else if (mapped.status === 401 || mapped.status === 403) {
      this.logger.warn({ msg: 'request refused', status: mapped.status, method: req.method, url: req.originalUrl, reason: mapped.message });
    }
    if (res.headersSent) return;
    res.status(mapped.status).json({
      statusCode: mapped.status,
      error: HttpStatus[mapped.status] ? httpReason(mapped.status) : 'Error',
      message: mapped.message,
      messageZh: ZH[mapped.status],
      ...(mapped.details ? { details: mapped.details } : {}),
      requestId,
    });
  }

  private map(exception: unknown, req: Request): Mapped {
    if (exception instanceof DomainException) {
      return { status: domainStatus(exception.code), message: exception.message, details: exception.details };
    }
    if (exception instanceof HttpException) return this.mapHttp(exception, req);
    const failure = classifyDatabaseError(exception);
    if (failure) return databaseResponse(failure);
    const bodyError = exception as { type?: string; status?: number; expose?: boolean };
    if (bodyError?.type === 'entity.parse.failed') return { status: 400, message: 'The request body is not valid JSON.' };
    if (bodyError?.type === 'entity.too.large') return { status: 413, message: 'The request body is too large.' };
    if (typeof bodyError?.status === 'number' && bodyError.status >= 400 && bodyError.status < 500 && bodyError.expose) {
      return { status: bodyError.status, message: 'The request could not be read; send a JSON body with Content-Type application/json.' };
    }
    return { status: 500, message: 'An unexpected error occurred; it has been logged with this request id.' };
  }

  /** Nest's own exceptions: the router's 404, the body parser's, the validation pipes' 400. */
  private mapHttp(exception: HttpException, req: Request): Mapped {
    const status = exception.getStatus();
    const cause = exception.cause as { type?: string } | undefined;
    if (cause instanceof SyntaxError || cause?.type === 'entity.parse.failed') {
      return { status: 400, message: `The request body is not valid JSON (${withoutFullStop(exception.message)}).` };
    }
    if (cause instanceof URIError) return { status: 400, message: 'The URL is not valid: it has a broken percent-encoding.' };
    const response = exception.getResponse();
    const validation = status === 400 ? flattenValidation(response) : null;
    if (validation) return validation;
    // The application answers unknown ids with a DomainException: a NotFoundException is the router's.
    if (exception instanceof NotFoundException) {
      return { status, message: `Cannot ${req.method} ${req.originalUrl ?? req.url}: there is no such endpoint; see /api/docs.` };
    }
    const body = typeof response === 'string' ? undefined : (response as { message?: unknown }).message;
    return { status, message: sentence(typeof response === 'string' ? response : typeof body === 'string' ? body : exception.message) };
  }
}

function httpReason(status: number): string {
  const name = HttpStatus[status];
  return name
    .toLowerCase()
    .split('_')
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join(' ');
}
