import { ValidationPipe, type INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Logger } from 'pino';
import { requestLogging } from './logging/request-logging.middleware';

/** The OpenAPI document's header (the paths come from the controllers). */
export function openApiConfig() {
  return new DocumentBuilder()
    .setTitle('Patient-capital investment workflow API')
    .setDescription(
      'Investment cases from proposal to exit (XState workflow), the due-diligence exemption review (尽职免责), ' +
        'review queues and a tamper-evident decision history. Money is integer fen; timestamps are ISO-8601 UTC. ' +
        'Every error body is { statusCode, error, message, messageZh?, details?, requestId }.',
    )
    .setVersion('1')
    .addBearerAuth()
    .build();
}

/** Everything about the HTTP app that main.ts and the e2e tests share. */
export function configureApp(app: NestExpressApplication, logger: Logger): INestApplication {
  app.setGlobalPrefix('api');
  app.set('trust proxy', 'loopback');
  app.disable('x-powered-by');
  // Responses are API results, not cacheable documents: no ETag to hash on every response.
  app.set('etag', false);
  app.useBodyParser('json', { limit: '1mb' });
  app.use(requestLogging(logger));
  app.useGlobalPipes(
    new ValidationPipe({
      whitelist: true,
      forbidNonWhitelisted: true,
      forbidUnknownValues: true,
      transform: true,
      stopAtFirstError: false,
    }),
  );
  const doc = openApiConfig();
  SwaggerModule.setup('api/docs', app, () => SwaggerModule.createDocument(app, doc), { jsonDocumentUrl: 'api/docs-json' });
  return app;
}
