import { pruneTables, type TableRetention, tryWithAdvisoryLock } from '@streamkit/postgres';
import type { Logger, Removed } from '@streamkit/runtime';
import type { Redis } from 'ioredis';
import type { Pool } from 'pg';
import type { RecsRedisKeys } from '../common/redis-keys.ts';
import { removeUnknownProductKeys } from './cooccurrence-retention.ts';

export interface FeaturesRetention {
  readonly eventsRetentionMs: number;
  readonly snapshotsRetentionMs: number;
  readonly batchRows: number;
}

export function offlineStoreFamilies(retention: FeaturesRetention): TableRetention[] {
  return [
    {
      family: 'recs_events',
      table: 'recs_events',
      column: 'ingested_at',
      retentionMs: retention.eventsRetentionMs,
    },
    {
      family: 'recs_user_feature_snapshots',
      table: 'recs_user_feature_snapshots',
      column: 'captured_at',
      retentionMs: retention.snapshotsRetentionMs,
    },
  ];
}

/**
 * One prune of the feature store, under an advisory lock (of several replicas one prunes, the
 * others skip: undefined): the offline store's rows by the wall clock, then the co-occurrence keys
 * of products not in the catalog.
 */
export async function pruneFeatureStore(
  deps: { readonly redis: Redis; readonly pool: Pool; readonly keys: RecsRedisKeys; readonly logger: Logger },
  retention: FeaturesRetention,
  signal?: AbortSignal,
): Promise<Removed | undefined> {
  // the lock is per key prefix: deployments sharing a database but not a Redis prefix prune apart
  const run = await tryWithAdvisoryLock(
    deps.pool,
    `streamkit.recs.retention.${deps.keys.prefix}`,
    async (client) => ({
      ...(await pruneTables(client, offlineStoreFamilies(retention), {
        limits: { batchRows: retention.batchRows },
        signal,
      })),
      recs_cooccurrence_unknown_keys: await removeUnknownProductKeys(deps, signal),
    }),
  );
  return run.acquired ? run.value : undefined;
}
