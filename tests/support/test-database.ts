import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

export interface TestDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

function adminUrl(): string {
  const url = process.env.TEST_ADMIN_DATABASE_URL;
  if (!url) throw new Error('TEST_ADMIN_DATABASE_URL is not set: run the tests through jest (global setup).');
  return url;
}

export function urlFor(database: string): string {
  const url = new URL(adminUrl());
  url.pathname = `/${database}`;
  return url.toString();
}

async function withAdmin<T>(work: (c: Client) => Promise<T>): Promise<T> {
  const c = new Client({ connectionString: adminUrl() });
  await c.connect();
  try {
    return await work(c);
  } finally {
    await c.end();
  }
}

/** A fresh database for one test file: a copy of the migrated template, or empty when asked. */
export async function createTestDatabase(opts: { empty?: boolean } = {}): Promise<TestDatabase> {
  const name = `pcw_t_${randomBytes(6).toString('hex')}`;
  const template = process.env.TEST_TEMPLATE_DATABASE;
  for (let attempt = 0; ; attempt++) {
    try {
      await withAdmin((c) => c.query(opts.empty ? `CREATE DATABASE ${name}` : `CREATE DATABASE ${name} TEMPLATE ${template}`));
      break;
    } catch (err) {
      // Two files cloning the template at the same instant: PostgreSQL refuses one; try again.
      if (attempt < 20 && /being accessed by other users/.test((err as Error).message)) {
        await new Promise((r) => setTimeout(r, 100 + Math.random() * 200));
        continue;
      }
      throw err;
    }
  }
  return {
    name,
    url: urlFor(name),
    drop: () => withAdmin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined),
  };
}

/** Runs SQL as the server's superuser on a test database (to tamper, or to inspect). */
export async function asSuperuser<T>(database: string, work: (c: Client) => Promise<T>): Promise<T> {
  const c = new Client({ connectionString: urlFor(database) });
  await c.connect();
  try {
    return await work(c);
  } finally {
    await c.end();
  }
}
