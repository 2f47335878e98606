/** The data source the TypeORM CLI uses (`npm run migration:generate`): the owner's URL when given. */
import { DataSource } from 'typeorm';
import { ownerDatabaseUrlFromEnvironment } from '@app/config';
import { dataSourceOptions } from './data-source.options';

const url = ownerDatabaseUrlFromEnvironment();
if (!url) throw new Error('Set MIGRATION_DATABASE_URL (or DATABASE_URL) to run the TypeORM CLI.');
export default new DataSource(dataSourceOptions(url));
