export { type LockedRun, tryWithAdvisoryLock, withAdvisoryLock } from './advisory-lock.ts';
export { type BatchLimits, deleteInBatches, type Queryable, type RowsToDelete } from './batched-delete.ts';
export { type MigrationResult, type MigrationSettings, migrate } from './migrate.ts';
export { runMigrateCommand } from './migrate-command.ts';
export { createPool, type PoolSettings, withPool } from './pool.ts';
export { type AcquirePoolSettings, acquirePool } from './service-resources.ts';
export { type PruneOptions, pruneTables, type TableRetention } from './table-retention.ts';
