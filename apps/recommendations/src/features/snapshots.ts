import type { Redis } from 'ioredis';
import type { Pool } from 'pg';
import type { RecsRedisKeys } from '../common/redis-keys.ts';
import { readUserFeatures } from './online-read.ts';

export interface UserFeatureSnapshot {
  userId: string;
  featureTs: string;
  recent: string[];
  affinity: Record<string, number>;
  affinityRefMs: number;
  purchased: string[];
  events: number;
}

/**
 * Copies users' online features to the offline store, stamped with the event time they are valid
 * at (their newest event). Idempotent: one row per (user, feature time).
 */
export async function snapshotUsers(
  redis: Redis,
  keys: RecsRedisKeys,
  pool: Pool,
  userIds: readonly string[],
): Promise<number> {
  const features = (await readUserFeatures(redis, keys, userIds)).filter((f) => f.updatedAtMs > 0);
  if (features.length === 0) return 0;
  const result = await pool.query(
    `INSERT INTO recs_user_feature_snapshots (user_id, feature_ts, features)
     SELECT * FROM unnest($1::text[], $2::timestamptz[], $3::jsonb[]) ON CONFLICT DO NOTHING`,
    [
      features.map((f) => f.userId),
      features.map((f) => new Date(f.updatedAtMs)),
      features.map((f) =>
        JSON.stringify({
          recent: f.recent,
          affinity: Object.fromEntries(f.affinity),
          affinityRefMs: f.affinityRefMs,
          purchased: [...f.purchased],
          events: f.events,
        }),
      ),
    ],
  );
  return result.rowCount ?? 0;
}

/** Point-in-time retrieval: the user's latest snapshot valid at or before `asOfMs`, never a later one. */
export async function userFeaturesAsOf(
  pool: Pool,
  userId: string,
  asOfMs: number,
): Promise<UserFeatureSnapshot | undefined> {
  const { rows } = await pool.query<{
    feature_ts: Date;
    features: Omit<UserFeatureSnapshot, 'userId' | 'featureTs'>;
  }>(
    `SELECT feature_ts, features FROM recs_user_feature_snapshots
      WHERE user_id = $1 AND feature_ts <= $2 ORDER BY feature_ts DESC LIMIT 1`,
    [userId, new Date(asOfMs)],
  );
  const row = rows[0];
  return row === undefined ? undefined : { userId, featureTs: row.feature_ts.toISOString(), ...row.features };
}
