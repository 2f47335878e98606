import multipart from '@fastify/multipart';
import { BadRequestException, ValidationPipe } from '@nestjs/common';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { SwaggerModule } from '@nestjs/swagger';
import { errorCodes, type FastifyError, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { AppConfigService } from '@app/config';
import { JsonBodyRefusedError, parseJsonBody } from './body/json-body';
import { registerConsole } from './console/console-static';
import { errorBody } from './errors/error-body';
import { mapHttpAdapterError } from './errors/http-adapter-errors';
import { registerRequestLogging, requestIdOf } from './logging/request-logging.hooks';
import { registerSecurityHeaders } from './security/security-headers';
import { createOpenApiDocument } from './openapi';

/** The largest JSON body accepted (413 above it). */
export const JSON_BODY_LIMIT_BYTES = 1024 * 1024;

/** Fastify through Nest, keeping the security-headers hook so the router's own refusals carry the headers too. */
class ApiHttpAdapter extends FastifyAdapter {
  private securityHeaders?: Parameters<FastifyAdapter['registerSecurityHook']>[0];

  override registerSecurityHook(hook: Parameters<FastifyAdapter['registerSecurityHook']>[0]): void {
    this.securityHeaders = hook;
    super.registerSecurityHook(hook);
  }

  /** Writes the security headers on a response that no hook saw (the router's 400 and 414). */
  applySecurityHeaders(request: FastifyRequest, reply: FastifyReply): void {
    try {
      this.securityHeaders?.(request, reply.raw);
    } catch {
      // The request is refused either way.
    }
  }
}

/**
 * The HTTP adapter: Fastify, with the request id, proxy trust and body limit the API promises.
 * X-Forwarded-For is believed only from the configured proxies (TRUSTED_PROXIES); otherwise the
 * client is the peer address, whatever the header says.
 */
export function createHttpAdapter(trustedProxies: string[] = []): FastifyAdapter {
  const adapter: ApiHttpAdapter = new ApiHttpAdapter({
    logger: false, // pino through our own hooks (request id, one line per request)
    trustProxy: trustedProxies.length > 0 ? trustedProxies : false,
    bodyLimit: JSON_BODY_LIMIT_BYTES,
    // On SIGTERM a request already on an accepted connection is served, not answered 503.
    return503OnClosing: false,
    genReqId: requestIdOf,
    requestIdHeader: false,
    // The router refuses a URL with a broken percent-encoding (400) or an over-long segment (414) before
    // any hook or Nest's error handling runs: answered here with the contract's body.
    frameworkErrors: (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
      const answer = mapHttpAdapterError(error) ?? { status: 400, message: 'The request could not be read.' };
      adapter.applySecurityHeaders(request, reply);
      void reply
        .header('x-request-id', request.id)
        .header('Cache-Control', 'no-store')
        .status(answer.status)
        .send(errorBody(answer.status, answer.message, request.id));
    },
  });
  return adapter;
}

/**
 * Everything about the HTTP app that main.ts and the e2e tests share, in order: Fastify hooks and
 * body parsers, Fastify plugins (register further ones — multipart, static files — in
 * `registerPlugins`), then Nest's global prefix, validation and the OpenAPI document.
 */
export async function configureApp(app: NestFastifyApplication, logger: Logger): Promise<NestFastifyApplication> {
  const fastify = app.getHttpAdapter().getInstance();
  const config = app.get(AppConfigService);
  registerRequestLogging(fastify, logger);
  registerSecurityHeaders(app);
  registerJsonBody(app);
  // Uploads (evidence files, documents to verify): multipart/form-data, streamed, never buffered whole.
  const maxBytes = config.get('evidence').maxBytes;
  await app.register(multipart, { limits: { files: 1, fileSize: maxBytes + 1, fields: 20, parts: 21 }, throwFileSizeLimit: false });
  // Fastify plugins of the API are registered here, before Nest's routes (make this function async and
  // `await app.register(plugin, options)`: @fastify/multipart for uploads, @fastify/static for the console).
  registerConsole(app, logger);
  app.setGlobalPrefix('api');
  app.useGlobalPipes(
    new ValidationPipe({
      whitelist: true,
      forbidNonWhitelisted: true,
      forbidUnknownValues: true,
      transform: true,
      stopAtFirstError: false,
    }),
  );
  // The OpenAPI JSON always; the Swagger UI not in production unless API_DOCS=true.
  SwaggerModule.setup('api/docs', app, () => createOpenApiDocument(app), {
    jsonDocumentUrl: 'api/docs-json',
    swaggerUiEnabled: config.get('apiDocsUi'),
  });
  return app;
}

/**
 * JSON only (any other body type is a 415). An empty body with Content-Type application/json reads as
 * `{}`; malformed JSON is Fastify's own 400; a body nested deeper than JSON_MAX_DEPTH or carrying a
 * `__proto__`, `constructor` or `prototype` key is a 400 saying so (before any validator walks it).
 */
function registerJsonBody(app: NestFastifyApplication): void {
  const fastify = app.getHttpAdapter().getInstance();
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit: JSON_BODY_LIMIT_BYTES }, (_req, body, done) => {
    let value: unknown;
    try {
      value = parseJsonBody(body as string); // parseAs: 'string'
    } catch (err) {
      done(
        err instanceof JsonBodyRefusedError ? new BadRequestException(err.message) : new errorCodes.FST_ERR_CTP_INVALID_JSON_BODY(),
        undefined,
      );
      return;
    }
    done(null, value);
  });
}
