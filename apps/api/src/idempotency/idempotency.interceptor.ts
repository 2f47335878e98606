import {
  applyDecorators,
  createParamDecorator,
  Injectable,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import { ApiHeader, ApiResponse } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { catchError, defer, from, mergeMap, of, switchMap, throwError, type Observable } from 'rxjs';
import {
  DomainErrorCode,
  DomainException,
  IdempotencyService,
  requestHashOf,
  type AuthUser,
  type IdempotentRequest,
  type IdempotentUpload,
} from '@app/domain';

export const IDEMPOTENCY_HEADER = 'idempotency-key';
/** Visible ASCII, 1–255 characters: a UUID, or any token the client makes up per request. */
const KEY_FORMAT = /^[\x21-\x7e]{1,255}$/;

/** Documents the optional Idempotency-Key header of a state-changing route (and its 422). */
export const ApiIdempotencyKey = () =>
  applyDecorators(
    ApiHeader({
      name: 'Idempotency-Key',
      required: false,
      description:
        'Any 1–255 visible ASCII characters, new for each request (a UUID). A repeat within 24 hours by the same user gets the first answer (status and body, with Idempotent-Replayed: true) and changes nothing; the same key with another request is a 422.',
    }),
    ApiResponse({ status: 422, description: 'The Idempotency-Key was used for another request (another path or body).' }),
  );

type KeyedRequest = FastifyRequest & { user?: AuthUser; idempotency?: IdempotentRequest; idempotentUpload?: IdempotentUpload };

/** The Idempotency-Key context of this request, for the services that store the answer in their own transaction. */
export const Idempotency = createParamDecorator(
  (_data: unknown, ctx: ExecutionContext): IdempotentRequest | undefined => ctx.switchToHttp().getRequest<KeyedRequest>().idempotency,
);

/**
 * The Idempotency-Key of a multipart upload: the route hashes the request once it has read the file,
 * replays or refuses, and stores the answer in the upload's transaction (EvidenceService.upload).
 */
export const IdempotentUploadKey = createParamDecorator(
  (_data: unknown, ctx: ExecutionContext): IdempotentUpload | undefined => ctx.switchToHttp().getRequest<KeyedRequest>().idempotentUpload,
);

/**
 * `Idempotency-Key` on every state-changing request (POST, PUT) of a signed-in user. A key seen in the
 * last 24 hours answers with the first answer (its status and body, and `Idempotent-Replayed: true`)
 * and runs nothing; the same key with another method, path or body is a 422. A new key runs the
 * request: the event, case creation, claim and release store the answer in their own transaction
 * (they take the `@Idempotency()` parameter); other routes store it as soon as they answer. Refused
 * requests store nothing (they changed nothing; a retry is decided again), except that a request
 * that lost a race to the same key gets the winner's answer. A multipart upload's body is the file
 * the route streams: the route itself looks the key up once it has hashed the file (`@IdempotentUploadKey()`).
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(private readonly idempotency: IdempotencyService) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const http = context.switchToHttp();
    const req = http.getRequest<KeyedRequest>();
    const reply = http.getResponse<FastifyReply>();
    const header = req.headers[IDEMPOTENCY_HEADER];
    if (header === undefined || (req.method !== 'POST' && req.method !== 'PUT') || !req.user) return next.handle();
    const key = Array.isArray(header) ? header.join(',') : header;
    if (!KEY_FORMAT.test(key)) {
      return throwError(
        () =>
          new DomainException(
            DomainErrorCode.InvalidInput,
            'The Idempotency-Key header must be 1 to 255 visible ASCII characters (a UUID, for example).',
            undefined,
            '幂等键（Idempotency-Key）须为 1 至 255 个可见 ASCII 字符（例如 UUID）。',
          ),
      );
    }
    if (req.isMultipart()) {
      req.idempotentUpload = { userId: req.user.id, key, method: req.method, url: req.url };
      return next.handle();
    }
    const idem: IdempotentRequest = { userId: req.user.id, key, requestHash: requestHashOf(req.method, req.url, req.body ?? null) };
    const replay = (first: { statusCode: number; response: unknown }) => {
      void reply.status(first.statusCode).header('idempotent-replayed', 'true');
      return of(first.response);
    };
    return from(this.idempotency.previous(idem)).pipe(
      switchMap((first) => {
        if (first) return replay(first);
        req.idempotency = idem;
        return next.handle().pipe(
          mergeMap(async (body: unknown) => {
            // The route's status is set before the handler runs (and the handler may set another).
            if (!idem.recorded) await this.idempotency.recordAfter(idem, reply.statusCode, body ?? null);
            return body;
          }),
          // Lost a race to the same key (a 409 on the version, or on the key itself): the winner's answer.
          catchError((err: unknown) =>
            defer(() => this.idempotency.previous(idem)).pipe(switchMap((won) => (won ? replay(won) : throwError(() => err)))),
          ),
        );
      }),
    );
  }
}
