// Sink replicas sharing the group: one joins mid-stream, one leaves, one is killed (SIGKILL) while
// the group rebalances. Every view must still equal the reference computed from the lines: the
// sink's fencing is the line key (dash_log_lines' primary key) checked in the same transaction
// that adds the line to the rollups, so an old owner finishing its batch adds nothing twice.
import { fileURLToPath } from 'node:url';
import { processEnvironment } from '@streamkit/config';
import { createServiceProcesses, type ServiceProcess } from '@streamkit/testkit';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { logRecords } from './support/log-records.ts';
import { referenceViews } from './support/reference-views.ts';
import { canonicalViews, createSinkTestEnv, type SinkTestEnv } from './support/sink-harness.ts';

const infra = inject('infrastructure');
const appDir = fileURLToPath(new URL('..', import.meta.url));
let env: SinkTestEnv;
const processes = createServiceProcesses();

// 04:00 UTC on a fixed day, a few minutes of event time: every line within the lateness
const start = Date.UTC(2026, 0, 16, 4, 0, 0, 125);
const records = logRecords({ count: 2400, startMs: start, stepMs: 97, idPrefix: 'rebalance' });

beforeAll(async () => {
  env = await createSinkTestEnv(infra, 'sink-rebalance');
});
afterAll(async () => {
  processes.killAll();
  await env?.close();
});

async function storedLines(): Promise<number> {
  const { rows } = await env.pool.query<{ n: string }>('SELECT count(*) AS n FROM dash_log_lines');
  return Number(rows[0]?.n);
}

describe('PostgreSQL sink rebalances', () => {
  it('replicas join, leave and die mid-rebalance: every view equals the reference', async () => {
    const childEnv = processEnvironment({
      KAFKA_BROKERS: env.kafkaBrokers.join(','),
      DATABASE_URL: env.db.url,
      KAFKA_TOPIC_PREFIX: env.prefix,
      SINK_GROUP_ID: 'replicas',
      SINK_ALLOWED_LATENESS_MS: '3600000',
      // small batches: rebalances and the kill land between and inside many transactions
      SINK_MAX_BATCH_SIZE: '40',
      METRICS_PORT: '0',
      // info: the replica says when it joined the group ('dashboard-sink running')
      LOG_LEVEL: 'info',
    });
    const startReplica = () => processes.start('src/sink/main.ts', { cwd: appDir, env: childEnv });
    const joined = (replica: ServiceProcess) =>
      expect
        .poll(() => replica.output(), { timeout: 30_000, interval: 50 })
        .toContain('dashboard-sink running');

    const chunks = 12;
    const chunk = records.length / chunks;
    const a = startReplica();
    let b: ServiceProcess | undefined;
    let c: ServiceProcess | undefined;
    for (let k = 0; k < chunks; k++) {
      // each joins mid-stream: the group rebalances while lines are in flight
      if (k === 3) {
        b = startReplica();
        await joined(b);
      }
      if (k === 6) {
        c = startReplica();
        await joined(c);
      }
      if (k === 9 && b !== undefined) {
        // B leaves (the group rebalances) and A dies while that rebalance is under way
        const left = await b.stop('SIGTERM');
        expect(left.code, b.output()).toBe(0);
        const killed = await a.stop('SIGKILL');
        expect(killed.signal, a.output()).toBe('SIGKILL');
      }
      await env.producer.send(
        env.topics.logs,
        records.slice(k * chunk, (k + 1) * chunk).map((value) => ({ value })),
      );
      // a backlog of at most two chunks: the replicas change while the stream runs
      if (k >= 2) await expect.poll(storedLines, { timeout: 45_000 }).toBeGreaterThanOrEqual((k - 1) * chunk);
    }
    await expect
      .poll(storedLines, { timeout: 45_000, message: [a, c].map((r) => r?.output()).join('\n---\n') })
      .toBe(records.length);
    expect(await env.allViews()).toEqual(canonicalViews(referenceViews(records)));

    const stopped = await (c as ServiceProcess).stop('SIGTERM');
    expect(stopped.code, c?.output()).toBe(0);
  });
});
