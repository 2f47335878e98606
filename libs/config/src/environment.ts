import { plainToInstance, Transform } from 'class-transformer';
import { IsDefined, IsIn, IsInt, IsOptional, IsString, Matches, Max, Min, MinLength, ValidateIf, validateSync } from 'class-validator';
import { withDefaultUser } from './database-url';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** An S3 bucket name: 3–63 lower-case letters, digits, dots and hyphens, starting and ending with a letter or digit. */
export const S3_BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

const toInt = ({ value }: { value: unknown }) => (typeof value === 'string' && value.trim() !== '' ? Number(value) : value);

/** Every environment variable the application reads. Nothing else reads `process.env`. */
export class EnvironmentVariables {
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT: number = 3000;

  @IsOptional()
  @Matches(/^postgres(ql)?:\/\/.+/, { message: 'DATABASE_URL must be a postgres:// or postgresql:// URL' })
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? withDefaultUser(value) : value))
  DATABASE_URL?: string;

  /** The owner of the tables, for the migrations; DATABASE_URL is then the API's least-privilege role. */
  @IsOptional()
  @Matches(/^postgres(ql)?:\/\/.+/, { message: 'MIGRATION_DATABASE_URL must be a postgres:// or postgresql:// URL' })
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? withDefaultUser(value) : value))
  MIGRATION_DATABASE_URL?: string;

  @ValidateIf((env: EnvironmentVariables) => env.DATABASE_URL !== undefined || env.JWT_SECRET !== undefined)
  @IsDefined({ message: 'JWT_SECRET is required when DATABASE_URL is set (demo mode generates one)' })
  @IsString()
  @MinLength(32, { message: 'JWT_SECRET must be at least 32 characters long' })
  JWT_SECRET?: string;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(60)
  JWT_TTL_SECONDS: number = 15 * 60;

  /** How long a session (its refresh token) lasts from login: a working day by default. */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(300)
  @Max(30 * 24 * 3600)
  SESSION_TTL_SECONDS: number = 12 * 3600;

  /** How long a process may reuse what it read about a session and its user (changes are pushed sooner). */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(300)
  AUTH_CACHE_SECONDS: number = 30;

  /** Outside demo mode the demo users (password demo-password) are refused unless this is `true`. */
  @IsOptional()
  @IsIn(['true', 'false'], { message: 'ALLOW_DEMO_USERS must be true or false' })
  ALLOW_DEMO_USERS: 'true' | 'false' = 'false';

  /**
   * Addresses (IPv4/IPv6, or CIDR ranges) of the reverse proxies whose X-Forwarded-For is believed,
   * comma-separated. Empty: the header is ignored and the peer address is the client.
   */
  @IsOptional()
  @Matches(/^\s*[0-9A-Fa-f:.]+(\/\d{1,3})?\s*(,\s*[0-9A-Fa-f:.]+(\/\d{1,3})?\s*)*$/, {
    message: 'TRUSTED_PROXIES must be a comma-separated list of IP addresses or CIDR ranges',
  })
  TRUSTED_PROXIES?: string;

  /** The wait after the free failures of an account or address; it doubles with each further failure (0 = no waits). */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(600_000)
  LOGIN_DELAY_BASE_MS: number = 1000;

  /** Failed logins of one account (within LOGIN_LOCK_SECONDS of each other) that lock it for LOGIN_LOCK_SECONDS. */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(2)
  @Max(1000)
  LOGIN_ACCOUNT_LOCK_AFTER: number = 10;

  /** Failed logins from one source address that lock the address for LOGIN_LOCK_SECONDS. */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(2)
  @Max(100_000)
  LOGIN_ADDRESS_LOCK_AFTER: number = 50;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(86_400)
  LOGIN_LOCK_SECONDS: number = 900;

  @IsOptional()
  @IsIn(LOG_LEVELS, { message: `LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}` })
  LOG_LEVEL: LogLevel = 'info';

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(200)
  DB_POOL_SIZE: number = 8;

  /** The longest one SQL statement may run (PostgreSQL statement_timeout); the request then gets a 503. */
  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: 'DB_STATEMENT_TIMEOUT_MS must be a whole number of milliseconds' })
  @Min(100)
  @Max(3_600_000)
  DB_STATEMENT_TIMEOUT_MS: number = 15_000;

  /** The longest a statement waits for a row or table lock (PostgreSQL lock_timeout); the request then gets a 503. */
  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: 'DB_LOCK_TIMEOUT_MS must be a whole number of milliseconds' })
  @Min(10)
  @Max(3_600_000)
  DB_LOCK_TIMEOUT_MS: number = 5_000;

  /** The longest a request waits for a free pooled connection (or a new one to open); then a 503. */
  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: 'DB_POOL_ACQUIRE_TIMEOUT_MS must be a whole number of milliseconds' })
  @Min(10)
  @Max(600_000)
  DB_POOL_ACQUIRE_TIMEOUT_MS: number = 5_000;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(3650)
  EXEMPTION_NOTICE_PERIOD_DAYS?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(0)
  SCHEDULER_INTERVAL_MS: number = 30_000;

  /** Test-only: shifts this process's clock by this many milliseconds (tests that need a task created in the past or future). */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(-3650 * 86_400_000)
  @Max(3650 * 86_400_000)
  CLOCK_OFFSET_MS: number = 0;

  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: 'API_WORKERS must be a whole number of processes' })
  @Min(1, { message: 'API_WORKERS must be at least 1' })
  @Max(64, { message: 'API_WORKERS must be at most 64' })
  API_WORKERS: number = 1;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1024)
  @Max(65535)
  EMBEDDED_PG_PORT: number = 54329;

  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: 'EVIDENCE_MAX_BYTES must be a whole number of bytes' })
  @Min(1)
  @Max(1024 * 1024 * 1024, { message: 'EVIDENCE_MAX_BYTES must be at most 1 GiB' })
  EVIDENCE_MAX_BYTES: number = 25 * 1024 * 1024;

  @IsOptional()
  @Matches(/^\s*(pdf|image|office|text|zip)(\s*,\s*(pdf|image|office|text|zip))*\s*$/, {
    message: 'EVIDENCE_ALLOWED_TYPES must be a comma-separated list of pdf, image, office, text, zip',
  })
  EVIDENCE_ALLOWED_TYPES: string = 'pdf,image,office,text,zip';

  /** `production` turns the Swagger UI off (unless API_DOCS=true); nothing else depends on it. */
  @IsOptional()
  @IsString()
  NODE_ENV?: string;

  /** `true`: serve the Swagger UI at /api/docs even in production; `false`: never. The OpenAPI JSON is always served. */
  @IsOptional()
  @IsIn(['true', 'false'], { message: 'API_DOCS must be true or false' })
  API_DOCS?: 'true' | 'false';

  @IsOptional()
  @IsString()
  CONFIG_DIR?: string;

  /** Anchored checkpoints: the write-once folder they go to (demo mode: .data/checkpoints). */
  @ValidateIf((env: EnvironmentVariables) => env.CHECKPOINT_S3_BUCKET === undefined && env.CHECKPOINT_KEY_FILE !== undefined)
  @IsDefined({
    message: 'CHECKPOINT_DIR or CHECKPOINT_S3_BUCKET is required when CHECKPOINT_KEY_FILE is set (where the checkpoints are written to)',
  })
  @IsString()
  CHECKPOINT_DIR?: string;

  /** Anchored checkpoints: the Ed25519 private key (PKCS#8 PEM) they are signed with, kept out of the database. */
  @ValidateIf(
    (env: EnvironmentVariables) =>
      env.CHECKPOINT_KEY_FILE !== undefined || env.CHECKPOINT_DIR !== undefined || env.CHECKPOINT_S3_BUCKET !== undefined,
  )
  @IsDefined({
    message: 'CHECKPOINT_KEY_FILE is required when CHECKPOINT_DIR or CHECKPOINT_S3_BUCKET is set (the Ed25519 signing key, PKCS#8 PEM)',
  })
  @IsString()
  CHECKPOINT_KEY_FILE?: string;

  /** Anchored checkpoints in an S3-compatible bucket created with Object Lock, instead of a folder. */
  @ValidateIf((env: EnvironmentVariables) => env.CHECKPOINT_S3_BUCKET !== undefined)
  @Matches(S3_BUCKET_NAME, {
    message: 'CHECKPOINT_S3_BUCKET must be an S3 bucket name (3–63 lower-case letters, digits, dots, hyphens)',
  })
  CHECKPOINT_S3_BUCKET?: string;

  /** Key prefix of the checkpoints in the bucket. */
  @IsOptional()
  @Matches(/^([^/].*\/)?$/, {
    message: 'CHECKPOINT_S3_PREFIX must be empty or end with / (and not start with one), e.g. audit/checkpoints/',
  })
  CHECKPOINT_S3_PREFIX: string = 'checkpoints/';

  @IsOptional()
  @IsString()
  CHECKPOINT_S3_REGION: string = 'us-east-1';

  /** An S3-compatible service's URL (MinIO, Ceph, a domestic cloud's object storage); path-style addressing. */
  @IsOptional()
  @Matches(/^https?:\/\/.+/, { message: 'CHECKPOINT_S3_ENDPOINT must be an http:// or https:// URL' })
  CHECKPOINT_S3_ENDPOINT?: string;

  /** How long each checkpoint object is locked (days). */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(36_500)
  CHECKPOINT_S3_RETENTION_DAYS: number = 3_650;

  @IsOptional()
  @IsIn(['COMPLIANCE', 'GOVERNANCE'], { message: 'CHECKPOINT_S3_LOCK_MODE must be COMPLIANCE or GOVERNANCE' })
  CHECKPOINT_S3_LOCK_MODE: 'COMPLIANCE' | 'GOVERNANCE' = 'COMPLIANCE';

  /** Static credentials for the bucket; without them the AWS SDK's default chain (AWS_* variables, profile, instance role). */
  @ValidateIf((env: EnvironmentVariables) => env.CHECKPOINT_S3_SECRET_ACCESS_KEY !== undefined)
  @IsDefined({ message: 'CHECKPOINT_S3_ACCESS_KEY_ID is required when CHECKPOINT_S3_SECRET_ACCESS_KEY is set' })
  @IsString()
  CHECKPOINT_S3_ACCESS_KEY_ID?: string;

  @ValidateIf((env: EnvironmentVariables) => env.CHECKPOINT_S3_ACCESS_KEY_ID !== undefined)
  @IsDefined({ message: 'CHECKPOINT_S3_SECRET_ACCESS_KEY is required when CHECKPOINT_S3_ACCESS_KEY_ID is set' })
  @IsString()
  CHECKPOINT_S3_SECRET_ACCESS_KEY?: string;

  /** How often a checkpoint is written while chains move (0: only at issued documents and on request). */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(0)
  CHECKPOINT_INTERVAL_MS: number = 5 * 60_000;

  @IsOptional()
  @IsString()
  DATA_DIR?: string;
}

export class EnvironmentError extends Error {}

/**
 * Validates the environment once at boot. A bad or missing setting throws an EnvironmentError whose
 * message is one line naming the setting.
 */
export function validateEnvironment(raw: Record<string, string | undefined>): EnvironmentVariables {
  const known = Object.keys(new EnvironmentVariables()).concat([
    'DATABASE_URL',
    'MIGRATION_DATABASE_URL',
    'JWT_SECRET',
    'TRUSTED_PROXIES',
    'EXEMPTION_NOTICE_PERIOD_DAYS',
    'NODE_ENV',
    'API_DOCS',
    'CONFIG_DIR',
    'DATA_DIR',
    'CHECKPOINT_DIR',
    'CHECKPOINT_KEY_FILE',
    'CHECKPOINT_S3_BUCKET',
    'CHECKPOINT_S3_ENDPOINT',
    'CHECKPOINT_S3_ACCESS_KEY_ID',
    'CHECKPOINT_S3_SECRET_ACCESS_KEY',
  ]);
  const picked: Record<string, string> = {};
  for (const key of known) {
    const value = raw[key];
    if (value !== undefined && value !== '') picked[key] = value;
  }
  const env = plainToInstance(EnvironmentVariables, picked);
  const errors = validateSync(env, { skipMissingProperties: false });
  if (errors.length > 0) {
    const first = errors[0];
    const constraints = first.constraints ?? {};
    // A missing value says so, rather than failing the checks on its shape.
    const reason = constraints.isDefined ?? Object.values(constraints)[0] ?? 'is invalid';
    throw new EnvironmentError(`Invalid setting ${first.property}: ${reason}`);
  }
  if (env.MIGRATION_DATABASE_URL !== undefined && env.DATABASE_URL === undefined)
    throw new EnvironmentError('Invalid setting MIGRATION_DATABASE_URL: it needs DATABASE_URL too (the role the API connects as)');
  if (env.CHECKPOINT_DIR !== undefined && env.CHECKPOINT_S3_BUCKET !== undefined)
    throw new EnvironmentError(
      'Invalid setting CHECKPOINT_S3_BUCKET: set either CHECKPOINT_DIR (a folder) or CHECKPOINT_S3_BUCKET (a bucket) for the checkpoints, not both',
    );
  return env;
}

/** For tools that need only the database (migrations, the audit verifier): DATABASE_URL (or another such variable), validated. */
export function databaseUrlFromEnvironment(
  raw: Record<string, string | undefined>,
  name: 'DATABASE_URL' | 'MIGRATION_DATABASE_URL' = 'DATABASE_URL',
): string | undefined {
  const url = raw[name];
  if (url === undefined || url === '') return undefined;
  if (!/^postgres(ql)?:\/\/.+/.test(url))
    throw new EnvironmentError(`Invalid setting ${name}: ${name} must be a postgres:// or postgresql:// URL`);
  return withDefaultUser(url);
}

/** The TypeORM CLI's database (`npm run migration:generate`): the owner's URL (MIGRATION_DATABASE_URL), else DATABASE_URL. */
export function ownerDatabaseUrlFromEnvironment(raw: Record<string, string | undefined> = process.env): string | undefined {
  return databaseUrlFromEnvironment(raw, 'MIGRATION_DATABASE_URL') ?? databaseUrlFromEnvironment(raw);
}
