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
}

export const APP_SETTINGS = Symbol('APP_SETTINGS');
