import { DataSource } from 'typeorm';
import { dataSourceOptions } from './data-source.options';

/** Runs every pending migration, each in its own transaction. Returns the names it ran. */
export async function runMigrations(url: string): Promise<string[]> {
  const ds = new DataSource(dataSourceOptions(url, 1));
  await ds.initialize();
  try {
    const ran = await ds.runMigrations({ transaction: 'each' });
    return ran.map((m) => m.name);
  } finally {
    await ds.destroy();
  }
}
