import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../libs/persistence/src/data-source.options';
import { runMigrations } from '../../libs/persistence/src/migrate';
import { MIGRATIONS } from '../../migrations';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

describe('migrations', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase({ empty: true });
  });
  afterAll(() => db.drop());

  it('migrate an empty database to the latest schema, and a second run does nothing', async () => {
    const ran = await runMigrations(db.url);
    expect(ran).toHaveLength(MIGRATIONS.length);
    expect(await runMigrations(db.url)).toEqual([]);
    const ds = new DataSource(dataSourceOptions(db.url, 1));
    await ds.initialize();
    try {
      const tables = await ds.query<
        {
          table_name: string;
        }[]
      >(`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1`);
      expect(tables.map((t) => t.table_name)).toEqual(
        expect.arrayContaining(['users', 'funds', 'cases', 'tasks', 'audit_entries', 'audit_chain_heads', 'schema_migrations']),
      );
    } finally {
      await ds.destroy();
    }
  });

  it('run by several processes at once: one migrates, the others wait and find nothing to do', async () => {
    const other = await createTestDatabase({ empty: true });
    try {
      const runs = await Promise.all([runMigrations(other.url), runMigrations(other.url), runMigrations(other.url)]);
      expect(runs.map((r) => r.length).sort()).toEqual([0, 0, MIGRATIONS.length]);
    } finally {
      await other.drop();
    }
  });

  it('agree with the entities: generating a migration now would produce nothing', async () => {
    const ds = new DataSource(dataSourceOptions(db.url, 1));
    await ds.initialize();
    try {
      const pending = await ds.driver.createSchemaBuilder().log();
      expect(pending.upQueries.map((q) => q.query)).toEqual([]);
    } finally {
      await ds.destroy();
    }
  });

  it('can be reverted to empty and applied again', async () => {
    const ds = new DataSource(dataSourceOptions(db.url, 1));
    await ds.initialize();
    try {
      for (let i = 0; i < MIGRATIONS.length; i++) await ds.undoLastMigration({ transaction: 'each' });
      const left = await ds.query<{ n: number }[]>(
        `SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = 'public' AND table_name <> 'schema_migrations'`,
      );
      expect(left[0].n).toBe(0);
      expect((await ds.runMigrations({ transaction: 'each' })).length).toBe(MIGRATIONS.length);
    } finally {
      await ds.destroy();
    }
  });
});
