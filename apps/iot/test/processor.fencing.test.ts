// Two members' micro-batch sinks on one partition, in this process, on the real Postgres and lake:
// the old owner's batch is held in flight while the new owner takes the partition. The new owner
// must wait for it (the row lock), and the old owner's next batch must be fenced before it writes.
import type { IncomingMessage } from '@streamkit/kafka';
import type { SensorReading } from '@streamkit/schemas';
import { afterAll, describe, expect, it } from 'vitest';
import { createLakeWriter, type LakeWriter } from '../src/lake/parquet-writer.ts';
import { createMicroBatchSink, type MicroBatchSink } from '../src/processor/micro-batch.ts';
import { PartitionFencedError } from '../src/processor/partition-fence.ts';
import { DEFAULT_DEDUP_HORIZON_MS } from '../src/processor/recent-readings.ts';
import { createStateStore } from '../src/processor/state-store.ts';
import { BASE_MS, reading, useProcessorEnv } from './processor.harness.ts';

const env = useProcessorEnv('iot-fencing');
const writers: LakeWriter[] = [];

afterAll(async () => {
  for (const w of writers) w.close();
});

/** Records of partition 0 at offsets [from, to), each a reading of one of 5 devices. */
function records(from: number, to: number): IncomingMessage<SensorReading>[] {
  return Array.from({ length: to - from }, (_, i) => {
    const offset = from + i;
    const value = reading(`fence-dev-${offset % 5}`, offset, BASE_MS + offset * 1000, 20 + (offset % 9));
    return {
      topic: env().topics.telemetry.name,
      partition: 0,
      offset: String(offset),
      key: value.deviceId,
      value,
      headers: {},
      timestamp: BASE_MS,
    };
  });
}

/** A member's sink; `hold` (when given) is awaited before each raw file is written. */
async function member(hold?: () => Promise<void>): Promise<MicroBatchSink> {
  const real = await createLakeWriter(env().lakeDir);
  writers.push(real);
  const writer: LakeWriter = {
    ...real,
    async writeRaw(range, rows) {
      await hold?.();
      return real.writeRaw(range, rows);
    },
  };
  const settings = env().settings();
  return createMicroBatchSink({
    lakeDir: env().lakeDir,
    writer,
    store: createStateStore(env().pool),
    producer: env().producer,
    topics: env().topics,
    settings: {
      windowMs: settings.windowMs,
      allowedLatenessMs: settings.allowedLatenessMs,
      anomaly: settings.anomaly,
      dedupHorizonMs: settings.dedupHorizonMs ?? DEFAULT_DEDUP_HORIZON_MS,
    },
  });
}

const count = (sql: string) => env().countLake(sql);

async function waitingOnLocks(): Promise<number> {
  const { rows } = await env().pool.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`,
  );
  return rows[0]?.n ?? 0;
}

describe('micro-batch fencing', () => {
  it('a new owner waits for the old owner in-flight batch; the old owner is then fenced; every reading once', async () => {
    let held = false;
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const old = await member(async () => {
      if (!held) return;
      await gate;
    });
    const next = await member();

    await old.apply(records(0, 50));
    held = true;
    const oldInFlight = old.apply(records(50, 100));
    // the new owner's claim queues behind the old owner's batch (its row lock)
    const newOwner = next.apply(records(50, 120));
    await expect.poll(waitingOnLocks, { timeout: 15_000 }).toBeGreaterThan(0);
    release();
    await oldInFlight;
    const taken = await newOwner;
    expect(taken.skipped).toBe(50); // 50..99 were committed by the old owner before the claim

    // the old owner's stale redelivery after the claim: refused before any file is written
    held = false;
    await expect(old.apply(records(100, 120))).rejects.toBeInstanceOf(PartitionFencedError);

    expect(await count('SELECT count(*)::INTEGER AS n FROM raw')).toBe(120);
    expect(await count('SELECT count(DISTINCT seq)::INTEGER AS n FROM raw')).toBe(120);
    const progress = await env().pool.query<{ next_offset: string; owner_epoch: string }>(
      'SELECT next_offset, owner_epoch FROM iot_lake_progress WHERE topic = $1 AND kafka_partition = 0',
      [env().topics.telemetry.name],
    );
    expect(progress.rows[0]).toEqual({ next_offset: '120', owner_epoch: '2' });

    // if the group gives the partition back to the old member, its retry claims it again: nothing twice
    const again = await old.apply(records(100, 130));
    expect(again.skipped).toBe(20);
    expect(await count('SELECT count(*)::INTEGER AS n FROM raw')).toBe(130);
    expect(await count('SELECT count(DISTINCT seq)::INTEGER AS n FROM raw')).toBe(130);
  });
});
