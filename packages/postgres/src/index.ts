export { withAdvisoryLock } from './advisory-lock.ts';
export { type MigrationResult, type MigrationSettings, migrate } from './migrate.ts';
export { runMigrateCommand } from './migrate-command.ts';
export { createPool, type PoolSettings } from './pool.ts';
