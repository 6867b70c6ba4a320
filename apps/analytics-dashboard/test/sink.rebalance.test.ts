// Sink replicas sharing the group: one joins mid-stream, one leaves, one is killed (SIGKILL) while
// the group rebalances. Every view must still equal the reference computed from the lines: the
// sink's fencing is the line key (dash_log_lines' primary key) checked in the same transaction
// that adds the line to the rollups, so an old owner finishing its batch adds nothing twice.
import { fileURLToPath } from 'node:url';
import { processEnvironment } from '@streamkit/config';
import { streamWhileReplicasChange } from '@streamkit/testkit';
import { useServiceProcesses } from '@streamkit/testkit/file-env';
import { describe, expect, it } from 'vitest';
import { createLogSink } from '../src/sink/log-sink.ts';
import { logRecords } from './support/log-records.ts';
import { referenceViews } from '../src/views/reference-views.ts';
import { canonicalViews, useSinkEnv } from './support/sink-harness.ts';

const appDir = fileURLToPath(new URL('..', import.meta.url));
const env = useSinkEnv('sink-rebalance');
const processes = useServiceProcesses();

// 04:00 UTC on a fixed day, a few minutes of event time: every line within the lateness
const start = Date.UTC(2026, 0, 16, 4, 0, 0, 125);
const records = logRecords({ count: 2400, startMs: start, stepMs: 97, idPrefix: 'rebalance' });

async function storedLines(): Promise<number> {
  const { rows } = await env().pool.query<{ n: string }>('SELECT count(*) AS n FROM dash_log_lines');
  return Number(rows[0]?.n);
}

describe('PostgreSQL sink rebalances', () => {
  it('replicas join, leave and die mid-rebalance: every view equals the reference', async () => {
    const childEnv = processEnvironment({
      KAFKA_BROKERS: env().kafkaBrokers.join(','),
      DATABASE_URL: env().db.url,
      KAFKA_TOPIC_PREFIX: env().prefix,
      SINK_GROUP_ID: 'replicas',
      SINK_ALLOWED_LATENESS_MS: '3600000',
      // small batches: rebalances and the kill land between and inside many transactions
      SINK_MAX_BATCH_SIZE: '40',
      // the killed replica's partitions move once its session expired
      SINK_SESSION_TIMEOUT_MS: '6000',
      METRICS_PORT: '0',
      // info: the replica says when it joined the group ('dashboard-sink running')
      LOG_LEVEL: 'info',
    });
    // the replica that stays, in this process; A and B are processes (A is killed)
    await env().startSink('replicas', { SINK_MAX_BATCH_SIZE: '40', SINK_SESSION_TIMEOUT_MS: '6000' });
    const chunk = records.length / 12;
    const { a } = await streamWhileReplicasChange({
      startReplica: () => processes.start('src/sink/main.ts', { cwd: appDir, env: childEnv }),
      joinedLine: 'dashboard-sink running',
      chunks: 12,
      chunkSize: chunk,
      sendChunk: (k) =>
        env().producer.send(
          env().topics.logs,
          records.slice(k * chunk, (k + 1) * chunk).map((value) => ({ value })),
        ),
      applied: storedLines,
    });
    await expect.poll(storedLines, { timeout: 60_000, message: a.output() }).toBe(records.length);
    expect(await env().allViews()).toEqual(canonicalViews(referenceViews(records)));
  }, 240_000);

  it('two replicas writing the same lines at once (an old owner finishing its batch) count each line once', async () => {
    const lines = logRecords({
      count: 400,
      startMs: Date.UTC(2026, 0, 16, 4, 10, 0, 0),
      stepMs: 50,
      idPrefix: 'zombie',
    });
    const batch = lines.map((value, i) => ({
      topic: env().topics.logs.name,
      partition: 0,
      offset: String(100_000 + i),
      value,
    }));
    const other = createLogSink({ pool: env().pool, allowedLatenessMs: 3_600_000 });
    const results = await Promise.all([
      env().sink.write(batch),
      other.write(batch),
      other.write(batch.slice(100, 300)),
    ]);
    expect(results.reduce((sum, r) => sum + r.inserted, 0)).toBe(lines.length);
    expect(results.reduce((sum, r) => sum + r.duplicates, 0)).toBe(lines.length + 200);
    expect(await env().allViews()).toEqual(canonicalViews(referenceViews([...records, ...lines])));
  });
});
