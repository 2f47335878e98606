import type { DataSourceOptions } from 'typeorm';
import { ENTITIES } from './entities';
import { MIGRATIONS } from '../../../migrations';

/** The one description of the database: entities and migrations listed explicitly, never globbed. */
export function dataSourceOptions(url: string, poolSize = 8): DataSourceOptions {
  return {
    type: 'postgres',
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
      // JIT only adds latency to this workload's short queries (see PERFORMANCE.md).
      options: '-c jit=off',
      // The pid tells operators (and the shutdown test) which process holds a connection.
      application_name: `patient-capital-workflow:${process.pid}`,
    },
  };
}
