/** `npm run migration:run`: runs pending migrations against DATABASE_URL. */
import { databaseUrlFromEnvironment } from '@app/config';
import { runMigrations } from '@app/persistence';

async function main() {
  const url = databaseUrlFromEnvironment(process.env);
  if (!url) throw new Error('Set DATABASE_URL to the database to migrate (npm start migrates its embedded database itself).');
  const ran = await runMigrations(url);
  process.stdout.write(ran.length ? `Ran ${ran.length} migration(s): ${ran.join(', ')}\n` : 'The schema is up to date.\n');
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
