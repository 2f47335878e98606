import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { register } from 'tsconfig-paths';
import { compilerOptions } from '../../tsconfig.json';
import { CHROMIUM_PATH } from './chromium';

// Global setup runs outside jest's module system: resolve the @app/* aliases here too.
register({ baseUrl: join(__dirname, '..', '..'), paths: compilerOptions.paths });

declare global {
  var __EMBEDDED_PG__: { stop(): Promise<void> } | undefined;
}

export const ROOT = join(__dirname, '..', '..');

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

/**
 * Once per run: compile the app (e2e tests run the real server process, as `npm start` does), get a
 * PostgreSQL (DATABASE_URL, else an embedded server in a temporary folder), and build a template
 * database migrated to the latest schema and loaded with the demo users and funds. Each test file
 * clones the template into a database of its own.
 */
/** The role the API logs in as in the tests (created once per PostgreSQL cluster; roles are global). */
export const TEST_API_ROLE = 'pcw_test_api';
const TEST_API_PASSWORD = 'pcw-test-api-password';

/** The same database, logged in as the API's role (when the tests have one). */
export function apiUrlFor(ownerUrl: string): string {
  if (!process.env.TEST_API_ROLE) return ownerUrl;
  const url = new URL(ownerUrl);
  url.username = process.env.TEST_API_ROLE;
  url.password = TEST_API_PASSWORD;
  return url.toString();
}

/** DATABASE_URL (the API's role) and MIGRATION_DATABASE_URL (the owner) for an API process on a database. */
export function databaseEnv(ownerUrl: string): { DATABASE_URL: string; MIGRATION_DATABASE_URL?: string } {
  const api = apiUrlFor(ownerUrl);
  return api === ownerUrl ? { DATABASE_URL: ownerUrl } : { DATABASE_URL: api, MIGRATION_DATABASE_URL: ownerUrl };
}

export default async function globalSetup(): Promise<void> {
  execFileSync(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(ROOT, 'tsconfig.build.json')], {
    stdio: 'inherit',
  });
  // The API serves the console from dist/console (skipped when its sources did not change).
  execFileSync(process.execPath, [join(ROOT, 'scripts', 'build-console.mjs')], { stdio: 'inherit' });
  if (!existsSync(CHROMIUM_PATH)) {
    process.stdout.write(`\nBrowser tests not run: no Chromium at ${CHROMIUM_PATH} (install it with: apt-get install chromium)\n`);
  }
  /* eslint-disable @typescript-eslint/no-require-imports -- loaded after the path aliases are registered */
  const { withDefaultUser } = require('../../libs/config/src/database-url') as typeof import('../../libs/config/src/database-url');
  const { startEmbeddedDatabase } =
    require('../../libs/persistence/src/embedded-database') as typeof import('../../libs/persistence/src/embedded-database');
  /* eslint-enable @typescript-eslint/no-require-imports */
  let adminUrl = process.env.DATABASE_URL ? withDefaultUser(process.env.DATABASE_URL) : undefined;
  if (!adminUrl) {
    const dataDir = mkdtempSync(join(tmpdir(), 'pcw-test-pg-'));
    const embedded = await startEmbeddedDatabase({ dataDir, port: await freePort(), database: 'postgres', persistent: false });
    globalThis.__EMBEDDED_PG__ = embedded;
    adminUrl = embedded.adminUrl;
  }
  // The API connects as a role without ownership, as in production; the admin (owner) migrates.
  const { ensureLoginRole } =
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require('../../libs/persistence/src/database-roles') as typeof import('../../libs/persistence/src/database-roles');
  try {
    await ensureLoginRole(adminUrl, TEST_API_ROLE, TEST_API_PASSWORD);
    process.env.TEST_API_ROLE = TEST_API_ROLE;
    process.env.TEST_API_PASSWORD = TEST_API_PASSWORD;
  } catch (err) {
    process.stdout.write(
      `\nThe API runs as the database owner in these tests: creating the role ${TEST_API_ROLE} failed (${(err as Error).message})\n`,
    );
  }
  const template = `pcw_tpl_${process.pid}_${Date.now().toString(36)}`;
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${template}`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${template}`;
  process.env.TEST_ADMIN_DATABASE_URL = adminUrl;
  execFileSync(process.execPath, [join(ROOT, 'scripts', 'start.js'), '--seed-only'], {
    env: { ...process.env, ...databaseEnv(url.toString()), JWT_SECRET: 'x'.repeat(48), LOG_LEVEL: 'warn' },
    stdio: 'inherit',
  });
  process.env.TEST_TEMPLATE_DATABASE = template;
}
