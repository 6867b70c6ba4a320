import type { Pool, PoolClient } from 'pg';
import type { DeviceStats } from './anomaly.ts';
import type { DeviceState } from './batch-step.ts';
import { decodeOpenWindows, encodeOpenWindows } from './window-codec.ts';
import type { WindowAggregate, WindowValues } from './windows.ts';

/** Reads and writes the processor's checkpoint in Postgres (tables of migration 010/011). */
export interface StateStore {
  /** Next offset to apply per partition (0 for partitions never checkpointed). */
  loadProgress(topic: string, partitions: readonly number[]): Promise<Map<number, bigint>>;
  loadDeviceStates(deviceIds: readonly string[]): Promise<Map<string, DeviceState>>;
  /** Everything a micro-batch changed, in one transaction. */
  commit(checkpoint: Checkpoint): Promise<void>;
}

export interface Checkpoint {
  readonly topic: string;
  readonly nextOffsets: ReadonlyMap<number, bigint>;
  readonly states: ReadonlyMap<string, DeviceState>;
  readonly updatedWindows: readonly WindowAggregate[];
  readonly closedWindows: readonly WindowAggregate[];
  readonly lateByDevice: ReadonlyMap<string, number>;
}

export function createStateStore(pool: Pool): StateStore {
  return {
    async loadProgress(topic, partitions) {
      const result = await pool.query<{ kafka_partition: number; next_offset: string }>(
        'SELECT kafka_partition, next_offset FROM iot_lake_progress WHERE topic = $1 AND kafka_partition = ANY($2::int[])',
        [topic, partitions],
      );
      const progress = new Map<number, bigint>(partitions.map((p) => [p, 0n]));
      for (const row of result.rows) progress.set(row.kafka_partition, BigInt(row.next_offset));
      return progress;
    },

    async loadDeviceStates(deviceIds) {
      const result = await pool.query<{
        device_id: string;
        max_event_ts_ms: string | null;
        stats: DeviceStats;
        open_windows: Record<string, WindowValues>;
        open_window_values: Buffer | null;
      }>(
        `SELECT device_id, max_event_ts_ms, stats, open_window_values,
           CASE WHEN open_window_values IS NULL THEN open_windows END AS open_windows
         FROM iot_device_state WHERE device_id = ANY($1::text[])`,
        [deviceIds],
      );
      const states = new Map<string, DeviceState>();
      for (const row of result.rows) {
        states.set(row.device_id, {
          maxEventTs: row.max_event_ts_ms === null ? null : Number(row.max_event_ts_ms),
          stats: row.stats,
          windows:
            row.open_window_values === null
              ? new Map(Object.entries(row.open_windows).map(([start, values]) => [Number(start), values]))
              : decodeOpenWindows(row.open_window_values),
        });
      }
      return states;
    },

    async commit(checkpoint) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        await saveStates(client, checkpoint.states);
        await saveWindows(client, checkpoint.updatedWindows, checkpoint.closedWindows);
        await saveLate(client, checkpoint.lateByDevice);
        const partitions = [...checkpoint.nextOffsets.keys()];
        await client.query(
          `INSERT INTO iot_lake_progress (topic, kafka_partition, next_offset)
           SELECT $1, p, o FROM unnest($2::int[], $3::bigint[]) AS t(p, o)
           ON CONFLICT (topic, kafka_partition) DO UPDATE SET next_offset = EXCLUDED.next_offset, updated_at = now()`,
          [checkpoint.topic, partitions, partitions.map((p) => String(checkpoint.nextOffsets.get(p)))],
        );
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
  };
}

async function saveStates(client: PoolClient, states: ReadonlyMap<string, DeviceState>): Promise<void> {
  if (states.size === 0) return;
  const ids: string[] = [];
  const maxTs: (string | null)[] = [];
  const stats: string[] = [];
  const windows: Buffer[] = [];
  for (const [id, state] of states) {
    ids.push(id);
    maxTs.push(state.maxEventTs === null ? null : String(state.maxEventTs));
    stats.push(JSON.stringify(state.stats));
    windows.push(encodeOpenWindows(state.windows));
  }
  await client.query(
    `INSERT INTO iot_device_state (device_id, max_event_ts_ms, stats, open_window_values)
     SELECT * FROM unnest($1::text[], $2::bigint[], $3::jsonb[], $4::bytea[])
     ON CONFLICT (device_id) DO UPDATE SET max_event_ts_ms = EXCLUDED.max_event_ts_ms, stats = EXCLUDED.stats,
       open_window_values = EXCLUDED.open_window_values, open_windows = '{}', updated_at = now()`,
    [ids, maxTs, stats, windows],
  );
}

async function saveWindows(
  client: PoolClient,
  updated: readonly WindowAggregate[],
  closed: readonly WindowAggregate[],
): Promise<void> {
  const byKey = new Map<string, { w: WindowAggregate; closed: boolean }>();
  for (const w of updated) byKey.set(`${w.deviceId}|${w.windowStart}`, { w, closed: false });
  for (const w of closed) byKey.set(`${w.deviceId}|${w.windowStart}`, { w, closed: true });
  if (byKey.size === 0) return;
  const rows = [...byKey.values()];
  await client.query(
    `INSERT INTO iot_window_aggregates (device_id, window_start, window_end, reading_count, metrics, closed)
     SELECT d, to_timestamp(s / 1000.0), to_timestamp(e / 1000.0), c, m, x
     FROM unnest($1::text[], $2::bigint[], $3::bigint[], $4::int[], $5::jsonb[], $6::bool[]) AS t(d, s, e, c, m, x)
     ON CONFLICT (device_id, window_start) DO UPDATE SET reading_count = EXCLUDED.reading_count,
       metrics = EXCLUDED.metrics, closed = EXCLUDED.closed, updated_at = now()`,
    [
      rows.map((r) => r.w.deviceId),
      rows.map((r) => String(r.w.windowStart)),
      rows.map((r) => String(r.w.windowEnd)),
      rows.map((r) => r.w.count),
      rows.map((r) => JSON.stringify(r.w.metrics)),
      rows.map((r) => r.closed),
    ],
  );
}

async function saveLate(client: PoolClient, late: ReadonlyMap<string, number>): Promise<void> {
  if (late.size === 0) return;
  await client.query(
    `INSERT INTO iot_late_readings (device_id, dropped) SELECT * FROM unnest($1::text[], $2::bigint[])
     ON CONFLICT (device_id) DO UPDATE SET dropped = iot_late_readings.dropped + EXCLUDED.dropped, updated_at = now()`,
    [[...late.keys()], [...late.values()]],
  );
}
