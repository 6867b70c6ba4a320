import { fileURLToPath } from 'node:url';
import { processEnvironment } from '@streamkit/config';
import { streamWhileReplicasChange } from '@streamkit/testkit';
import { useServiceProcesses } from '@streamkit/testkit/file-env';
import { describe, expect, it, vi } from 'vitest';
import { catalogHistory, expectOnlineStoreEquals, PARTITIONS, useFeaturesEnv } from './features.harness.ts';
import { referenceFromRecords } from './features.reference.ts';

const appDir = fileURLToPath(new URL('..', import.meta.url));
const LATENESS_MS = 600_000;
const env = useFeaturesEnv('recs-rebalance');
const processes = useServiceProcesses();

/** Records applied to the online store: the partitions' processed markers (highest offset + 1). */
async function appliedRecords(): Promise<number> {
  const markers = await env().redis.mget(
    Array.from({ length: PARTITIONS }, (_, p) => env().keys.processed(env().topics.events.name, p)),
  );
  return markers.reduce((sum, m) => sum + (m === null ? 0 : Number(m) + 1), 0);
}

describe('features worker rebalances', () => {
  it('replicas join, leave and die mid-rebalance: counters equal the reference (none doubled, none lost)', async () => {
    const history = catalogHistory({
      seed: 23,
      users: 60,
      userPrefix: 'rb-',
      startMs: Date.UTC(2026, 2, 3),
      hours: 12,
    });
    const replicaEnv = {
      FEATURES_GROUP_ID: `${env().name}-replicas`,
      // small runs: rebalances and the kill land between many Redis writes
      FEATURES_MAX_BATCH_SIZE: '20',
      FEATURES_SESSION_TIMEOUT_MS: '6000',
      FEATURES_ALLOWED_LATENESS_MS: String(LATENESS_MS),
      FEATURES_POPULARITY_REFRESH_MS: '20',
    };
    const childEnv = processEnvironment({
      ...env().childEnv(),
      ...replicaEnv,
      // info: the replica says when it joined the group ('features worker consuming')
      LOG_LEVEL: 'info',
    });
    // the replica that stays, in this process; A and B are processes (A is killed)
    await env().startWorker(replicaEnv);
    const chunks = 16;
    const chunk = Math.ceil(history.length / chunks);
    await streamWhileReplicasChange({
      startReplica: () => processes.start('src/features/main.ts', { cwd: appDir, env: childEnv }),
      joinedLine: 'features worker consuming',
      chunks,
      chunkSize: chunk,
      at: { aJoined: 3, bJoins: 6, churn: 12 },
      sendChunk: (k) =>
        env().producer.send(
          env().topics.events,
          history.slice(k * chunk, (k + 1) * chunk).map((value) => ({ value })),
        ),
      applied: appliedRecords,
    });
    const records = await env().admin.readTopic(env().topics.events.name);
    expect(records).toHaveLength(history.length);
    const reference = referenceFromRecords(records, env().catalog, LATENESS_MS);
    await vi.waitFor(() => expectOnlineStoreEquals(env(), reference), { timeout: 60_000, interval: 250 });
    expect(await appliedRecords()).toBe(history.length);
    const { rows } = await env().pool.query<{ n: string }>('SELECT count(*) AS n FROM recs_events');
    expect(Number(rows[0]?.n)).toBe(history.length);
  }, 240_000);
});
