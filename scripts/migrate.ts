/**
 * `npm run migration:run`: runs pending migrations as MIGRATION_DATABASE_URL (the owner of the tables)
 * and gives DATABASE_URL's role the API's privileges; with DATABASE_URL alone, migrates as that role.
 */
import { databaseUrlFromEnvironment } from '@app/config';
import { migrateForApi } from '@app/persistence';

async function main() {
  const apiUrl = databaseUrlFromEnvironment(process.env);
  if (!apiUrl) throw new Error('Set DATABASE_URL to the database to migrate (npm start migrates its embedded database itself).');
  const ownerUrl = databaseUrlFromEnvironment(process.env, 'MIGRATION_DATABASE_URL') ?? apiUrl;
  const { ran, risk } = await migrateForApi(ownerUrl, apiUrl);
  if (risk) process.stderr.write(`Warning: ${risk}; it could rewrite the audit history (README: Deployment).\n`);
  process.stdout.write(ran.length ? `Ran ${ran.length} migration(s): ${ran.join(', ')}\n` : 'The schema is up to date.\n');
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
