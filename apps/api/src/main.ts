import 'reflect-metadata';
import cluster, { type Worker } from 'node:cluster';
import type { Logger } from 'pino';
import { EnvironmentError, PolicyError, validateEnvironment, type EnvironmentVariables } from '@app/config';
import { seedDemoData } from '@app/domain';
import { createApp, resolveRuntime, type ResolvedRuntime } from './bootstrap';
import { createRootLogger } from './logging/logger';

/** How long a stopping process may take to finish its requests and close its pool. */
const SHUTDOWN_DEADLINE_MS = 20_000;

async function main(): Promise<void> {
  let env: EnvironmentVariables;
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
  let runtime: ResolvedRuntime;
  try {
    // A worker is given the primary's DATABASE_URL, MIGRATION_DATABASE_URL and JWT_SECRET, so it never starts a database.
    runtime = await resolveRuntime(env, logger);
  } catch (err) {
    process.stderr.write(`${err instanceof PolicyError || err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  }
  if (cluster.isPrimary && env.API_WORKERS > 1) await runPrimary(runtime, env.API_WORKERS, logger);
  else await serve(runtime, logger, cluster.isPrimary);
}

/** One API process: listens, and on SIGINT/SIGTERM finishes what is in flight, then exits. */
async function serve({ settings, embedded }: ResolvedRuntime, logger: Logger, seed: boolean): Promise<void> {
  const app = await createApp(settings, logger);
  if (seed && settings.demoMode) {
    const seeded = await seedDemoData(app);
    if (seeded) logger.info('Loaded the demo data (users <role>_N with password demo-password, one fund per type)');
  }
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'Shutting down: no new connections, finishing in-flight requests');
    // A request or a database that never answers must not keep a stopping process alive.
    setTimeout(() => {
      logger.error({ afterMs: SHUTDOWN_DEADLINE_MS }, 'Shutdown did not finish in time; exiting');
      logger.flush();
      process.exit(1);
    }, SHUTDOWN_DEADLINE_MS).unref();
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
  process.once('SIGTERM', () => void stop('SIGTERM'));
  if (cluster.isWorker) {
    // Ctrl-C reaches the whole process group: the primary orchestrates the stop (SIGTERM to each worker).
    process.on('SIGINT', () => undefined);
    // A worker whose primary is gone (killed) stops too, rather than serving on unsupervised.
    process.once('disconnect', () => void stop('primary-gone'));
  } else {
    process.once('SIGINT', () => void stop('SIGINT'));
  }
  await app.listen(settings.port, '0.0.0.0');
  logger.info({ port: settings.port, demoMode: settings.demoMode, docs: `http://localhost:${settings.port}/api/docs` }, 'API listening');
}

/**
 * API_WORKERS > 1: this process migrates (and seeds in demo mode), then runs that many API processes
 * sharing the port (node:cluster hands connections out round-robin), replaces one that dies, and on
 * SIGINT/SIGTERM stops them all gracefully before stopping the embedded database.
 */
async function runPrimary({ settings, embedded }: ResolvedRuntime, workers: number, logger: Logger): Promise<void> {
  const app = await createApp(settings, logger); // runs the migrations once, before any worker starts
  if (settings.demoMode) {
    await app.init();
    if (await seedDemoData(app)) logger.info('Loaded the demo data (users <role>_N with password demo-password, one fund per type)');
  }
  await app.close();
  const workerEnv = {
    DATABASE_URL: settings.databaseUrl,
    MIGRATION_DATABASE_URL: settings.migrationDatabaseUrl,
    JWT_SECRET: settings.jwtSecret,
  };
  const listening = new Set<number>();
  let stopping = false;
  const fork = () => cluster.fork(workerEnv);
  const stop = async (signal: string, code: number) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'Shutting down the API processes');
    const alive = Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined && !w.isDead());
    // Each worker has its own deadline; one that cannot even run its timer is killed.
    setTimeout(() => alive.forEach((w) => w.isDead() || w.process.kill('SIGKILL')), SHUTDOWN_DEADLINE_MS + 5_000).unref();
    await Promise.all(
      alive.map(
        (w) =>
          new Promise<void>((resolve) => {
            w.once('exit', () => resolve());
            w.process.kill('SIGTERM');
          }),
      ),
    );
    if (embedded) await embedded.stop();
    logger.info('Stopped cleanly');
    logger.flush();
    process.exit(code);
  };
  cluster.on('listening', (worker) => {
    listening.add(worker.id);
    if (listening.size === workers) logger.info({ workers }, 'All API processes listening');
  });
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) return;
    if (!listening.has(worker.id)) {
      // It died before it could serve: starting more would only fail the same way.
      logger.error({ pid: worker.process.pid, code, signal }, 'An API process failed to start; stopping');
      void stop('worker-start-failed', 1);
      return;
    }
    logger.warn({ pid: worker.process.pid, code, signal }, 'An API process exited; starting a replacement');
    fork();
  });
  process.once('SIGINT', () => void stop('SIGINT', 0));
  process.once('SIGTERM', () => void stop('SIGTERM', 0));
  for (let i = 0; i < workers; i++) fork();
  logger.info({ workers, port: settings.port, demoMode: settings.demoMode }, 'Starting API processes');
}

main().catch((err: unknown) => {
  process.stderr.write(`Start-up failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
