import * as pg from 'pg';
import type { DataSourceOptions } from 'typeorm';
import type { DatabaseTimeouts } from '@app/config';
import { ENTITIES } from './entities';
import { MIGRATIONS } from '../../../migrations';

/**
 * pg with a pool whose every client handles its own 'error' event. pg-pool listens for errors only
 * on idle clients; a checked-out client between two statements (inside a transaction, while the
 * machine decides) that the server drops (57P01 terminated by an administrator, a restart) emits
 * 'error' with nobody listening, which would crash the process. Handled, the client is marked broken:
 * the request's next statement fails as a lost connection (503), and the pool discards the client.
 */
class GuardedPool extends pg.Pool {
  constructor(config?: pg.PoolConfig) {
    super(config);
    this.on('connect', (client) => client.on('error', () => undefined));
  }
}
const PG_WITH_GUARDED_POOL = { ...pg, Pool: GuardedPool };

/**
 * The one description of the database: entities and migrations listed explicitly, never globbed. With
 * `timeouts` (the API's pool), every session gets statement_timeout and lock_timeout, and a request
 * waits at most `poolAcquireMs` for a connection; migrations and tools run without them.
 */
export function dataSourceOptions(url: string, poolSize = 8, timeouts?: DatabaseTimeouts): DataSourceOptions {
  // JIT only adds latency to this workload's short queries (see PERFORMANCE.md).
  const sessionSettings = ['-c jit=off'];
  if (timeouts) sessionSettings.push(`-c statement_timeout=${timeouts.statementMs}`, `-c lock_timeout=${timeouts.lockMs}`);
  return {
    type: 'postgres',
    driver: PG_WITH_GUARDED_POOL,
    url,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'schema_migrations',
    migrationsTransactionMode: 'each',
    // gen_random_uuid() is built into PostgreSQL 13+: no extension to install.
    uuidExtension: 'pgcrypto',
    installExtensions: false,
    synchronize: false,
    migrationsRun: false,
    logging: false,
    extra: {
      max: poolSize,
      options: sessionSettings.join(' '),
      // pg-pool: the longest wait for an idle connection or for a new one to open (0 = for ever).
      connectionTimeoutMillis: timeouts?.poolAcquireMs ?? 0,
      // The pid tells operators (and the shutdown test) which process holds a connection.
      application_name: `patient-capital-workflow:${process.pid}`,
    },
  };
}
