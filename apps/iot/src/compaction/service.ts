import { env, postgresEnv } from '@streamkit/config';
import { createPool } from '@streamkit/postgres';
import { defineService, postgresCheck } from '@streamkit/runtime';
import { compactLake } from './compact.ts';

/**
 * Lake compaction, a one-shot command: merges the lake's small files per hive partition, touching
 * only files whose offsets the processor has checkpointed; the service stops when it is done.
 */
export const compactionService = defineService({
  name: 'iot-compaction',
  config: {
    ...postgresEnv,
    lakeDir: env.string('LAKE_DIR', { default: './data/lake' }),
    minFiles: env.int('COMPACTION_MIN_FILES', { default: 4, min: 2, max: 100_000 }),
    /** Its /metrics + /health while it runs (default: a free port). */
    metricsPort: env.port('COMPACTION_METRICS_PORT', { default: 0, allowZero: true }),
  },
  async start({ config, acquire, watch, logger }) {
    const pool = await acquire(
      'postgres',
      () => createPool(config.databaseUrl, { max: 1 }),
      (p) => p.end(),
    );
    async function compact(): Promise<void> {
      const progress = await pool.query<{ topic: string; kafka_partition: number; next_offset: string }>(
        'SELECT topic, kafka_partition, next_offset FROM iot_lake_progress',
      );
      const next = new Map(
        progress.rows.map((r) => [`${r.topic}|${r.kafka_partition}`, BigInt(r.next_offset)]),
      );
      const summary = await compactLake({
        lakeDir: config.lakeDir,
        minFiles: config.minFiles,
        isCommitted: (range) => range.last < (next.get(`${range.topic}|${range.partition}`) ?? 0n),
      });
      logger.info(
        `compaction: ${summary.filesMerged} files merged into ${summary.filesWritten} in ${summary.partitions} partitions`,
      );
    }
    watch('compaction', compact(), { stopWhenDone: true });
    return { metrics: { port: config.metricsPort, checks: { postgres: postgresCheck(pool) } } };
  },
});
