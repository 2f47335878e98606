import 'reflect-metadata';
import { EnvironmentError, PolicyError, validateEnvironment } from '@app/config';
import { seedDemoData } from '@app/domain';
import { createApp, resolveRuntime } from './bootstrap';
import { createRootLogger } from './logging/logger';

async function main(): Promise<void> {
  let env;
  try {
    env = validateEnvironment(process.env);
  } catch (err) {
    if (err instanceof EnvironmentError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
  const logger = createRootLogger(env.LOG_LEVEL);
  let runtime;
  try {
    runtime = await resolveRuntime(env, logger);
  } catch (err) {
    process.stderr.write(`${err instanceof PolicyError || err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  }
  const { settings, embedded } = runtime;
  const app = await createApp(settings, logger);
  if (settings.demoMode) {
    const seeded = await seedDemoData(app);
    if (seeded) logger.info('Loaded the demo data (users <role>_N with password demo-password, one fund per type)');
  }
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'Shutting down: no new connections, finishing in-flight requests');
    try {
      await app.close();
      if (embedded) await embedded.stop();
      logger.info('Stopped cleanly');
      logger.flush();
      process.exit(0);
    } catch (err) {
      logger.error({ err }, 'Shutdown failed');
      process.exit(1);
    }
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
  await app.listen(settings.port, '0.0.0.0');
  logger.info({ port: settings.port, demoMode: settings.demoMode, docs: `http://localhost:${settings.port}/api/docs` }, 'API listening');
}

main().catch((err: unknown) => {
  process.stderr.write(`Start-up failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
