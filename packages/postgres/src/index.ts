export { type MigrationResult, type MigrationSettings, migrate } from './migrate.ts';
export { createPool, type PoolSettings } from './pool.ts';
