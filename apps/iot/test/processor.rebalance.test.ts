import { fileURLToPath } from 'node:url';
import { processEnvironment } from '@streamkit/config';
import { streamWhileReplicasChange } from '@streamkit/testkit';
import { useServiceProcesses } from '@streamkit/testkit/file-env';
import { describe, expect, inject, it } from 'vitest';
import { fleetReadings, processorTestEnv, reading, useProcessorEnv } from './processor.harness.ts';
import { referenceOf } from './processor.reference.ts';
import { readLiveWindows } from './support/live-windows.ts';

const infra = inject('infrastructure');
const appDir = fileURLToPath(new URL('..', import.meta.url));
const env = useProcessorEnv('iot-rebalance');
const processes = useServiceProcesses();

const count = (sql: string) => env().countLake(sql);
const rawRows = () => count('SELECT count(*)::INTEGER AS n FROM raw');

async function progress(): Promise<{ applied: number; claims: number }> {
  const result = await env().pool.query<{ applied: string | null; claims: string | null }>(
    'SELECT sum(next_offset) AS applied, sum(owner_epoch) AS claims FROM iot_lake_progress',
  );
  return { applied: Number(result.rows[0]?.applied ?? 0), claims: Number(result.rows[0]?.claims ?? 0) };
}

describe('processor rebalances', () => {
  it('replicas join, leave and die mid-rebalance: every reading once in the lake, every aggregate exact', async () => {
    const devices = 20;
    const steps = 120;
    const input = fleetReadings('rebal-dev', devices, steps, 1500);
    const replicaEnv = {
      PROCESSOR_GROUP_ID: `${env().name}-replicas`,
      // many small micro-batches: rebalances and the kill land between and inside checkpoints
      PROCESSOR_TRIGGER_INTERVAL_MS: '100',
      PROCESSOR_TRIGGER_MAX_RECORDS: '300',
      PROCESSOR_MAX_RUN_SIZE: '100',
      PROCESSOR_ALLOWED_LATENESS_MS: '30000',
      PROCESSOR_SESSION_TIMEOUT_MS: '6000',
    };
    const childEnv = processEnvironment({
      ...processorTestEnv(infra, env().name, env().db.url, env().lakeDir),
      ...replicaEnv,
      // info: the replica says when it joined the group ('processor consuming')
      LOG_LEVEL: 'info',
    });
    // the replica that stays, in this process; A and B are processes (A is killed)
    await env().startProcessor(replicaEnv);
    const chunk = 200;
    const { a } = await streamWhileReplicasChange({
      startReplica: () => processes.start('src/processor/main.ts', { cwd: appDir, env: childEnv }),
      joinedLine: 'processor consuming',
      chunks: input.length / chunk,
      chunkSize: chunk,
      sendChunk: (k) =>
        env().producer.send(
          env().topics.telemetry,
          input.slice(k * chunk, (k + 1) * chunk).map((value) => ({ value })),
        ),
      applied: async () => (await progress()).applied,
    });
    await expect
      .poll(async () => (await progress()).applied, { timeout: 60_000, message: a.output() })
      .toBe(input.length);

    // every reading once: as many rows as distinct (device, seq), and as the input
    expect(await rawRows()).toBe(input.length);
    expect(await count('SELECT count(DISTINCT (device_id, seq))::INTEGER AS n FROM raw')).toBe(input.length);
    const reference = referenceOf(input, env().settings().windowMs, 30_000);
    expect(await count('SELECT count(*)::INTEGER AS n FROM raw WHERE late')).toBe(
      [...reference.late.values()].filter(Boolean).length,
    );
    // closed windows in the lake, and the live table, equal the reference
    const closed = reference.windows.filter((w) => w.closed);
    expect(closed.length).toBeGreaterThan(0);
    const lakeWindows = await env().queryLake<{ device_id: string; start: number; n: number }>(
      'SELECT device_id, window_start_ms::DOUBLE AS start, reading_count::INTEGER AS n FROM windows ORDER BY device_id, window_start_ms',
    );
    expect(lakeWindows.map((w) => ({ deviceId: w.device_id, windowStartMs: w.start, count: w.n }))).toEqual(
      closed.map((w) => ({ deviceId: w.deviceId, windowStartMs: w.windowStartMs, count: w.count })),
    );
    expect(await readLiveWindows(env().pool)).toEqual(reference.windows);
    // more claims than one member's first claim of the 3 partitions: the partitions really moved
    expect((await progress()).claims).toBeGreaterThan(3);
  }, 240_000);
});
