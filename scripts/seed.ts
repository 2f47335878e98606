import 'reflect-metadata';
/**
 * `npm run seed`: loads the demo users (<role>_N, password demo-password) and one fund per type.
 * Against DATABASE_URL when set, else the embedded database of `npm start`.
 */
import { validateEnvironment } from '@app/config';
import { seedDemoData } from '@app/domain';
import { createApp, resolveRuntime } from '../apps/api/src/bootstrap';
import { createRootLogger } from '../apps/api/src/logging/logger';

async function main() {
  const env = validateEnvironment(process.env);
  const logger = createRootLogger(env.LOG_LEVEL);
  const { settings, embedded } = await resolveRuntime(env, logger);
  const app = await createApp(settings, logger);
  try {
    await app.init();
    process.stdout.write((await seedDemoData(app)) ? 'Demo data loaded.\n' : 'Demo data already present.\n');
  } finally {
    await app.close();
    await embedded?.stop();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
