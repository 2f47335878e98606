import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { parse, stringify } from 'yaml';
import { databaseEnv, freePort, ROOT } from './global-setup';
import { createTestDatabase, type TestDatabase } from './test-database';

export const TEST_JWT_SECRET = 'test-secret-that-is-long-enough-for-hs256-signing';
export const DEMO_PASSWORD = 'demo-password';

export interface ApiProcess {
  port: number;
  url: string;
  child: ChildProcess;
  output: () => string;
  /** SIGTERM and wait for the exit (graceful shutdown). */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export interface StartOptions {
  /** null: demo mode (the embedded PostgreSQL under env.DATA_DIR, on env.EMBEDDED_PG_PORT). */
  databaseUrl: string | null;
  /** How long start-up may take (default 60 s). */
  startTimeoutMs?: number;
  env?: Record<string, string>;
  /** Extra options for node itself (e.g. --cpu-prof). */
  nodeArgs?: string[];
}

/** Starts the compiled API as its own process, exactly as `npm start` does with DATABASE_URL (and MIGRATION_DATABASE_URL) set. */
export async function startApi(opts: StartOptions): Promise<ApiProcess> {
  const port = await freePort();
  let out = '';
  const child = spawn(process.execPath, [...(opts.nodeArgs ?? []), join(ROOT, 'scripts', 'start.js')], {
    env: {
      PATH: process.env.PATH ?? '',
      // The API logs in as its least-privilege role; the test database's owner migrates.
      ...(opts.databaseUrl === null ? {} : databaseEnv(opts.databaseUrl)),
      JWT_SECRET: TEST_JWT_SECRET,
      PORT: String(port),
      LOG_LEVEL: 'warn',
      SCHEDULER_INTERVAL_MS: '0',
      // The template database holds the demo users; a real deployment refuses them.
      ALLOW_DEMO_USERS: 'true',
      ...opts.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}`;
  // Generous: on a loaded two-core machine a cluster of API processes can take half a minute to boot.
  const timeoutMs = opts.startTimeoutMs ?? 60_000;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`API exited during start-up (${child.exitCode}):\n${out}`);
    try {
      const res = await fetch(`${url}/api/health`);
      if (res.status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`API did not become healthy within ${timeoutMs / 1000} s:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    port,
    url,
    child,
    output: () => out,
    async stop(signal: NodeJS.Signals = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

/** A copy of config/ with some policy values changed: `{ 'policies/committee.yaml': { quorum: 3 } }`. */
export function configWith(overrides: Record<string, Record<string, unknown>>): string {
  const dir = mkdtempSync(join(tmpdir(), 'pcw-config-'));
  cpSync(join(ROOT, 'config'), dir, { recursive: true });
  for (const [file, values] of Object.entries(overrides)) {
    const path = join(dir, file);
    writeFileSync(path, stringify({ ...parse(readFileSync(path, 'utf8')), ...values }));
  }
  return dir;
}

export interface TestApp {
  db: TestDatabase;
  api: ApiProcess;
  http: () => ReturnType<typeof request>;
  /** Logs a demo user in (cached per username) and returns its bearer header and id. */
  as(username: string): Promise<{ auth: { Authorization: string }; id: string; token: string; roles: string[] }>;
  close(): Promise<void>;
}

export interface TestAppOptions {
  env?: Record<string, string>;
  configOverrides?: Record<string, Record<string, unknown>>;
}

/** The whole API in its own process, on a fresh database of its own with the demo users and funds. */
export async function bootTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const db = await createTestDatabase();
  const configDir = options.configOverrides ? configWith(options.configOverrides) : undefined;
  const api = await startApi({ databaseUrl: db.url, env: { ...(configDir ? { CONFIG_DIR: configDir } : {}), ...options.env } });
  const tokens = new Map<string, { auth: { Authorization: string }; id: string; token: string; roles: string[] }>();
  return {
    db,
    api,
    http: () => request(api.url),
    async as(username: string) {
      const cached = tokens.get(username);
      if (cached) return cached;
      const res = await request(api.url).post('/api/auth/login').send({ username, password: DEMO_PASSWORD });
      if (res.status !== 200) throw new Error(`login ${username} failed: ${res.status} ${JSON.stringify(res.body)}`);
      const entry = {
        auth: { Authorization: `Bearer ${res.body.accessToken}` },
        id: res.body.user.id as string,
        token: res.body.accessToken as string,
        roles: res.body.user.roles as string[],
      };
      tokens.set(username, entry);
      return entry;
    },
    async close() {
      await api.stop();
      await db.drop();
      if (configDir) rmSync(configDir, { recursive: true, force: true });
    },
  };
}
