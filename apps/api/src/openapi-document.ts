import { NestFactory } from '@nestjs/core';
import type { OpenAPIObject } from '@nestjs/swagger';
import { join } from 'node:path';
import { EVIDENCE_KINDS, loadPolicies, type AppSettings } from '@app/config';
import { REPO_ROOT } from './bootstrap';
import { AppModule } from './app.module';
import { createHttpAdapter } from './configure-app';
import { createOpenApiDocument } from './openapi';

/**
 * The OpenAPI document without a database: Nest's preview mode scans the modules and controllers
 * but instantiates no provider, so nothing connects. The console's client is generated from it.
 */
export async function buildOpenApiDocument(): Promise<OpenAPIObject> {
  const settings: AppSettings = {
    port: 0,
    databaseUrl: 'postgres://preview@127.0.0.1:1/preview',
    migrationDatabaseUrl: 'postgres://preview@127.0.0.1:1/preview',
    jwtSecret: 'x'.repeat(48),
    jwtTtlSeconds: 60,
    sessionTtlSeconds: 3600,
    authCacheMs: 0,
    demoUsersAllowed: false,
    trustedProxies: [],
    loginThrottle: { delayBaseMs: 0, accountLockAfter: 10, addressLockAfter: 50, lockSeconds: 900 },
    logLevel: 'silent',
    dbPoolSize: 1,
    dbTimeouts: { statementMs: 1000, lockMs: 1000, poolAcquireMs: 1000 },
    apiDocsUi: false,
    demoMode: false,
    schedulerIntervalMs: 0,
    policies: loadPolicies(join(REPO_ROOT, 'config'), undefined),
    evidence: { maxBytes: 25 * 1024 * 1024, allowedKinds: [...EVIDENCE_KINDS] },
    checkpoints: null,
  };
  const app = await NestFactory.create(AppModule.forRoot(settings), createHttpAdapter(), {
    preview: true,
    logger: false,
    abortOnError: false,
  });
  app.setGlobalPrefix('api');
  const doc = createOpenApiDocument(app);
  await app.close();
  return doc;
}
