import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from './data-source.options';
import { grantApiPrivileges, historyRewritableBy, roleOf } from './database-roles';

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
  return (await migrateForApi(url, apiRole)).ran;
}

/**
 * What start-up runs: the migrations as `ownerUrl`, the API role's privileges when the API logs in as
 * another role (`apiUrl`), and whether that role could still rewrite the history (`risk`, a sentence).
 */
export async function migrateForApi(ownerUrl: string, apiRoleOrUrl?: string): Promise<{ ran: string[]; risk: string | null }> {
  const apiRole = apiRoleOrUrl?.includes('://') ? roleOf(apiRoleOrUrl) : apiRoleOrUrl;
  const lock = new Client({ connectionString: ownerUrl, application_name: 'patient-capital-workflow:migrate' });
  await lock.connect();
  try {
    await lock.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    const ds = new DataSource(dataSourceOptions(ownerUrl, 1));
    await ds.initialize();
    let ran: string[];
    try {
      ran = (await ds.runMigrations({ transaction: 'each' })).map((m) => m.name);
    } finally {
      await ds.destroy();
    }
    const separate = apiRole !== undefined && apiRole !== roleOf(ownerUrl);
    if (separate) await grantApiPrivileges(lock, apiRole);
    return { ran, risk: await historyRewritableBy(lock, separate ? apiRole : roleOf(ownerUrl)) };
  } finally {
    await lock.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
    await lock.end();
  }
}
