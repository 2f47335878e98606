import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from './data-source.options';

/** Arbitrary, fixed key of the advisory lock that serialises migration runs across processes. */
const MIGRATION_LOCK_KEY = 4_720_260_101;

/**
 * Runs every pending migration, each in its own transaction, while holding a PostgreSQL advisory
 * lock, so that several processes starting at once migrate one after the other (TypeORM takes no
 * lock of its own). Returns the names it ran.
 */
export async function runMigrations(url: string): Promise<string[]> {
  const lock = new Client({ connectionString: url, application_name: 'patient-capital-workflow:migrate' });
  await lock.connect();
  try {
    await lock.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    const ds = new DataSource(dataSourceOptions(url, 1));
    await ds.initialize();
    try {
      const ran = await ds.runMigrations({ transaction: 'each' });
      return ran.map((m) => m.name);
    } finally {
      await ds.destroy();
    }
  } finally {
    await lock.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
    await lock.end();
  }
}
