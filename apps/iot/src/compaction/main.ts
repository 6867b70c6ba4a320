// `node src/compaction/main.ts`: merges the lake's small files per hive partition (run it from cron,
// or beside the processor; it only touches files whose offsets the processor has checkpointed).
import { env, loadConfig, postgresEnv } from '@streamkit/config';
import { createPool } from '@streamkit/postgres';
import { compactLake } from './compact.ts';

const config = loadConfig({
  ...postgresEnv,
  lakeDir: env.string('LAKE_DIR', { default: './data/lake' }),
  minFiles: env.int('COMPACTION_MIN_FILES', { default: 4, min: 2, max: 100_000 }),
});
const pool = createPool(config.databaseUrl, { max: 1 });
try {
  const progress = await pool.query<{ topic: string; kafka_partition: number; next_offset: string }>(
    'SELECT topic, kafka_partition, next_offset FROM iot_lake_progress',
  );
  const next = new Map(progress.rows.map((r) => [`${r.topic}|${r.kafka_partition}`, BigInt(r.next_offset)]));
  const summary = await compactLake({
    lakeDir: config.lakeDir,
    minFiles: config.minFiles,
    isCommitted: (range) => range.last < (next.get(`${range.topic}|${range.partition}`) ?? 0n),
  });
  console.log(
    `compaction: ${summary.filesMerged} files merged into ${summary.filesWritten} in ${summary.partitions} partitions`,
  );
} catch (error) {
  console.error((error as Error).message);
  process.exitCode = 1;
} finally {
  await pool.end();
}
