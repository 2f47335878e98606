import type { CheckpointStoreSettings } from '@app/audit';
import type { LogLevel } from './environment';
import type { Policies } from './policies';

/** The resolved settings the application runs with (environment + demo-mode resolution + policies). */
export interface AppSettings {
  port: number;
  /** The role the API connects as (least privilege when it is not the owner). */
  databaseUrl: string;
  /** The owner of the tables, who runs the migrations (the same URL when MIGRATION_DATABASE_URL is unset). */
  migrationDatabaseUrl: string;
  jwtSecret: string;
  /** Lifetime of an access token. */
  jwtTtlSeconds: number;
  /** Lifetime of a session and its (rotated) refresh tokens. */
  sessionTtlSeconds: number;
  /** How long a process may reuse a session lookup (0 = never); changes are pushed by NOTIFY. */
  authCacheMs: number;
  /** Whether the demo users may log in (always in demo mode; otherwise only when explicitly allowed). */
  demoUsersAllowed: boolean;
  /** Proxies whose X-Forwarded-For is believed (IP addresses or CIDR ranges); empty = none. */
  trustedProxies: string[];
  loginThrottle: LoginThrottleSettings;
  logLevel: LogLevel;
  dbPoolSize: number;
  /** How long a statement, a lock wait and a wait for a pooled connection may take before the request gets a 503. */
  dbTimeouts: DatabaseTimeouts;
  /** Whether the Swagger UI is served at /api/docs (the OpenAPI JSON always is). */
  apiDocsUi: boolean;
  demoMode: boolean;
  schedulerIntervalMs: number;
  /** Test-only shift of the clock (CLOCK_OFFSET_MS); 0 in production. */
  clockOffsetMs?: number;
  policies: Policies;
  /** Evidence uploads: the largest file accepted, and the kinds of file accepted (sniffed from content). */
  evidence: EvidenceLimits;
  /** Anchored checkpoints of the audit chains; null when not configured (nothing outside the database pins the history). */
  checkpoints: CheckpointSettings | null;
}

export interface CheckpointSettings {
  /** Where the signed checkpoints go: a write-once folder, or an S3-compatible bucket with Object Lock. */
  store: CheckpointStoreSettings;
  /** The Ed25519 private key (PKCS#8 PEM) that signs them. */
  keyFile: string;
  /** How often one is written while chains move (0: only at issued documents and on request). */
  intervalMs: number;
}

export const EVIDENCE_KINDS = ['pdf', 'image', 'office', 'text', 'zip'] as const;
export type EvidenceKind = (typeof EVIDENCE_KINDS)[number];

export interface EvidenceLimits {
  maxBytes: number;
  allowedKinds: EvidenceKind[];
}

export const APP_SETTINGS = Symbol('APP_SETTINGS');

/** Failed-login throttling, per account and per source address (see LoginThrottle). */
export interface LoginThrottleSettings {
  delayBaseMs: number;
  accountLockAfter: number;
  addressLockAfter: number;
  lockSeconds: number;
}

/** PostgreSQL's statement_timeout and lock_timeout for the API's sessions, and the pool's acquire timeout. */
export interface DatabaseTimeouts {
  statementMs: number;
  lockMs: number;
  poolAcquireMs: number;
}
