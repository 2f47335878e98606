import { Initial1795304822434 } from './1795304822434-Initial';

/** Every migration, in order. Listed explicitly so that nothing depends on globbing into dist/. */
export const MIGRATIONS = [Initial1795304822434];
