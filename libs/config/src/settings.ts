import type { LogLevel } from './environment';
import type { Policies } from './policies';

/** The resolved settings the application runs with (environment + demo-mode resolution + policies). */
export interface AppSettings {
  port: number;
  databaseUrl: string;
  jwtSecret: string;
  jwtTtlSeconds: number;
  logLevel: LogLevel;
  dbPoolSize: number;
  demoMode: boolean;
  schedulerIntervalMs: number;
  policies: Policies;
  /** Evidence uploads: the largest file accepted, and the kinds of file accepted (sniffed from content). */
  evidence: EvidenceLimits;
}

export const EVIDENCE_KINDS = ['pdf', 'image', 'office', 'text', 'zip'] as const;
export type EvidenceKind = (typeof EVIDENCE_KINDS)[number];

export interface EvidenceLimits {
  maxBytes: number;
  allowedKinds: EvidenceKind[];
}

export const APP_SETTINGS = Symbol('APP_SETTINGS');
