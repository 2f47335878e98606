import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Logger } from 'pino';
import {
  findRepoRoot,
  loadPolicies,
  type AppSettings,
  type CheckpointSettings,
  type EnvironmentVariables,
  type EvidenceKind,
} from '@app/config';
import { ensureLoginRole, migrateForApi, startEmbeddedDatabase, type EmbeddedDatabase } from '@app/persistence';
import { Clock } from '@app/domain';
import { AppModule } from './app.module';
import { configureApp, createHttpAdapter } from './configure-app';
import { PinoNestLogger } from './logging/logger';

export const REPO_ROOT = findRepoRoot(__dirname);

/** Start-up warns when the working-day calendar ends within this many days (periods may reach past it). */
const CALENDAR_WARNING_HORIZON_DAYS = 60;

export interface ResolvedRuntime {
  settings: AppSettings;
  embedded: EmbeddedDatabase | null;
}

/** The role the API connects as in demo mode; the embedded server's superuser owns the tables. */
export const DEMO_API_ROLE = 'workflow_api';

/** Demo mode's checkpoint signing key: an Ed25519 key generated once beside the data. */
function demoSigningKey(dataDir: string): string {
  const file = join(dataDir, 'checkpoint-signing-key.pem');
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true });
    const { privateKey } = generateKeyPairSync('ed25519');
    writeFileSync(file, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  }
  return file;
}

/** Reads or creates a secret kept under the data folder (the demo JWT secret, the API role's password). */
function demoSecret(dataDir: string, name = 'jwt-secret'): string {
  const file = join(dataDir, name);
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(file, randomBytes(48).toString('base64url'), { mode: 0o600 });
  }
  return readFileSync(file, 'utf8').trim();
}

/**
 * Turns the validated environment into settings. With no DATABASE_URL this is demo mode: an
 * embedded PostgreSQL under `.data/` and a generated JWT secret kept beside it.
 */
export async function resolveRuntime(env: EnvironmentVariables, logger: Logger): Promise<ResolvedRuntime> {
  const policies = loadPolicies(env.CONFIG_DIR ?? join(REPO_ROOT, 'config'), env.EXEMPTION_NOTICE_PERIOD_DAYS);
  const calendarWarning = policies.calendar.coverageWarning(new Clock(env.CLOCK_OFFSET_MS).now(), CALENDAR_WARNING_HORIZON_DAYS);
  if (calendarWarning) logger.warn({ calendarVersion: policies.calendar.version }, calendarWarning);
  const base = {
    port: env.PORT,
    jwtTtlSeconds: env.JWT_TTL_SECONDS,
    sessionTtlSeconds: env.SESSION_TTL_SECONDS,
    authCacheMs: env.AUTH_CACHE_SECONDS * 1000,
    trustedProxies: (env.TRUSTED_PROXIES ?? '')
      .split(',')
      .map((p) => p.trim())
      .filter(Boolean),
    loginThrottle: {
      delayBaseMs: env.LOGIN_DELAY_BASE_MS,
      accountLockAfter: env.LOGIN_ACCOUNT_LOCK_AFTER,
      addressLockAfter: env.LOGIN_ADDRESS_LOCK_AFTER,
      lockSeconds: env.LOGIN_LOCK_SECONDS,
    },
    logLevel: env.LOG_LEVEL,
    dbPoolSize: env.DB_POOL_SIZE,
    dbTimeouts: {
      statementMs: env.DB_STATEMENT_TIMEOUT_MS,
      lockMs: env.DB_LOCK_TIMEOUT_MS,
      poolAcquireMs: env.DB_POOL_ACQUIRE_TIMEOUT_MS,
    },
    apiDocsUi: env.API_DOCS === undefined ? env.NODE_ENV !== 'production' : env.API_DOCS === 'true',
    schedulerIntervalMs: env.SCHEDULER_INTERVAL_MS,
    clockOffsetMs: env.CLOCK_OFFSET_MS,
    policies,
    evidence: {
      maxBytes: env.EVIDENCE_MAX_BYTES,
      allowedKinds: [...new Set(env.EVIDENCE_ALLOWED_TYPES.split(',').map((k) => k.trim() as EvidenceKind))],
    },
  };
  const checkpointsIn = (dir: string, keyFile: string): CheckpointSettings => ({
    store: env.CHECKPOINT_S3_BUCKET
      ? {
          kind: 's3',
          bucket: env.CHECKPOINT_S3_BUCKET,
          prefix: env.CHECKPOINT_S3_PREFIX,
          region: env.CHECKPOINT_S3_REGION,
          endpoint: env.CHECKPOINT_S3_ENDPOINT,
          retentionDays: env.CHECKPOINT_S3_RETENTION_DAYS,
          lockMode: env.CHECKPOINT_S3_LOCK_MODE,
          accessKeyId: env.CHECKPOINT_S3_ACCESS_KEY_ID,
          secretAccessKey: env.CHECKPOINT_S3_SECRET_ACCESS_KEY,
        }
      : { kind: 'folder', dir },
    keyFile,
    intervalMs: env.CHECKPOINT_INTERVAL_MS,
  });
  if (env.DATABASE_URL) {
    const checkpoints =
      (env.CHECKPOINT_DIR || env.CHECKPOINT_S3_BUCKET) && env.CHECKPOINT_KEY_FILE
        ? checkpointsIn(env.CHECKPOINT_DIR ?? '', env.CHECKPOINT_KEY_FILE)
        : null;
    if (!checkpoints)
      logger.warn(
        'Anchored checkpoints are off: nothing outside the database pins the audit history. Set CHECKPOINT_DIR (or CHECKPOINT_S3_BUCKET) and CHECKPOINT_KEY_FILE (README: Deployment).',
      );
    return {
      settings: {
        ...base,
        databaseUrl: env.DATABASE_URL,
        migrationDatabaseUrl: env.MIGRATION_DATABASE_URL ?? env.DATABASE_URL,
        jwtSecret: env.JWT_SECRET!,
        demoMode: false,
        demoUsersAllowed: env.ALLOW_DEMO_USERS === 'true',
        checkpoints,
      },
      embedded: null,
    };
  }
  const dataDir = env.DATA_DIR ?? join(REPO_ROOT, '.data');
  logger.info({ dataDir }, 'No DATABASE_URL: starting the embedded PostgreSQL (demo mode)');
  const embedded = await startEmbeddedDatabase({
    dataDir,
    port: env.EMBEDDED_PG_PORT,
    database: 'workflow',
    onLog: (m) => logger.debug({ component: 'embedded-postgres' }, m.trim()),
  });
  // The embedded superuser owns the tables and migrates; the API logs in as a role of its own.
  const apiPassword = demoSecret(dataDir, 'pg-api-password');
  await ensureLoginRole(embedded.adminUrl, DEMO_API_ROLE, apiPassword);
  const apiUrl = new URL(embedded.url);
  apiUrl.username = DEMO_API_ROLE;
  apiUrl.password = encodeURIComponent(apiPassword);
  return {
    settings: {
      ...base,
      databaseUrl: apiUrl.toString(),
      migrationDatabaseUrl: embedded.url,
      jwtSecret: env.JWT_SECRET ?? demoSecret(dataDir),
      demoMode: true,
      demoUsersAllowed: true,
      checkpoints: checkpointsIn(env.CHECKPOINT_DIR ?? join(dataDir, 'checkpoints'), env.CHECKPOINT_KEY_FILE ?? demoSigningKey(dataDir)),
    },
    embedded,
  };
}

/** Runs pending migrations, then builds the Nest app (not yet listening). */
export async function createApp(settings: AppSettings, logger: Logger): Promise<NestFastifyApplication> {
  const { ran, risk } = await migrateForApi(settings.migrationDatabaseUrl, settings.databaseUrl);
  if (ran.length) logger.info({ migrations: ran }, 'Ran pending migrations');
  if (risk)
    logger.warn(
      `The audit history is not protected from the API's own database role: ${risk}, so it could disable the append-only triggers. ` +
        'Run the migrations as the owner (MIGRATION_DATABASE_URL) and connect the API as a role without ownership (README: Deployment).',
    );
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(settings), createHttpAdapter(settings.trustedProxies), {
    logger: new PinoNestLogger(logger),
    bodyParser: false, // configureApp registers the JSON parser
  });
  return configureApp(app, logger);
}
