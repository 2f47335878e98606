import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from './data-source.options';
import { grantApiPrivileges } from './database-roles';

/** Arbitrary, fixed key of the advisory lock that serialises migration runs across processes. */
const MIGRATION_LOCK_KEY = 4_720_260_101;

/**
 * Runs every pending migration, each in its own transaction, while holding a PostgreSQL advisory
 * lock, so that several processes starting at once migrate one after the other (TypeORM takes no
 * lock of its own). `url` logs in as the owner of the tables. With `apiRole` (the role the API logs
 * in as, when it is another one), that role is then given exactly its privileges (database-roles.ts)
 * under the same lock. Returns the names of the migrations it ran.
 */
export async function runMigrations(url: string, apiRole?: string): Promise<string[]> {
  const lock = new Client({ connectionString: url, application_name: 'patient-capital-workflow:migrate' });
  await lock.connect();
  try {
    await lock.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    const ds = new DataSource(dataSourceOptions(url, 1));
    await ds.initialize();
    let ran: string[];
    try {
      ran = (await ds.runMigrations({ transaction: 'each' })).map((m) => m.name);
    } finally {
      await ds.destroy();
    }
    if (apiRole !== undefined) await grantApiPrivileges(lock, apiRole);
    return ran;
  } finally {
    await lock.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
    await lock.end();
  }
}
