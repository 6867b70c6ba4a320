import type { Pool, PoolClient } from 'pg';
import type { DeviceStats } from './anomaly.ts';
import type { DeviceState } from './batch-step.ts';
import { connectHeld } from './held-client.ts';
import { claimPartitions, lockProgressRows, PartitionFencedError } from './partition-fence.ts';
import { decodeRecentReadings, encodeRecentReadings } from './recent-readings.ts';
import { decodeOpenWindows, encodeOpenWindows } from './window-codec.ts';
import type { WindowAggregate, WindowValues } from './windows.ts';

/**
 * The processor's checkpoint in Postgres (tables of migrations 010/011/014), fenced per partition
 * (partition-fence.ts): a micro-batch runs inside one transaction that holds its partitions'
 * progress rows locked from the checkpoint read to the commit.
 */
export interface StateStore {
  /** Claims the partitions for this member (see claimPartitions); returns their epochs. */
  claim(
    topic: string,
    partitions: readonly number[],
    cleanup: (partition: number, nextOffset: bigint) => Promise<void>,
  ): Promise<Map<number, bigint>>;
  /**
   * Opens a micro-batch over partitions this member claimed with `epochs`: locks their progress
   * rows and rejects with PartitionFencedError (having written nothing) when another member
   * claimed one of them since.
   */
  begin(topic: string, epochs: ReadonlyMap<number, bigint>): Promise<BatchTransaction>;
}

export interface BatchTransaction {
  /** Next offset to apply per partition (0 for partitions never checkpointed). */
  readonly progress: ReadonlyMap<number, bigint>;
  /** Aborted when the transaction's connection failed (its locks are gone): write no further file. */
  readonly lost: AbortSignal;
  loadDeviceStates(deviceIds: readonly string[]): Promise<Map<string, DeviceState>>;
  /** Everything the micro-batch changed, with the checkpoint; ends the transaction. */
  commit(checkpoint: Checkpoint): Promise<void>;
  /** Ends the transaction without writing (idempotent; a no-op after commit). */
  rollback(): Promise<void>;
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
    claim: (topic, partitions, cleanup) => claimPartitions(pool, topic, partitions, cleanup),
    async begin(topic, epochs) {
      const { client, lost } = await connectHeld(pool);
      let open = true;
      const end = async (sql: 'COMMIT' | 'ROLLBACK') => {
        if (!open) return;
        open = false;
        try {
          await client.query(sql);
        } catch (error) {
          client.release(error as Error); // a connection that failed is not given back to the pool
          throw error;
        }
        client.release();
      };
      try {
        await client.query('BEGIN');
        const rows = await lockProgressRows(client, topic, [...epochs.keys()]);
        const fenced = [...epochs].filter(([p, epoch]) => rows.get(p)?.epoch !== epoch).map(([p]) => p);
        if (fenced.length > 0) throw new PartitionFencedError(topic, fenced);
        const progress = new Map([...epochs.keys()].map((p) => [p, rows.get(p)?.nextOffset ?? 0n]));
        return {
          progress,
          lost,
          loadDeviceStates: (ids) => loadDeviceStates(client, ids),
          async commit(checkpoint) {
            try {
              await saveStates(client, checkpoint.states);
              await saveWindows(client, checkpoint.updatedWindows, checkpoint.closedWindows);
              await saveLate(client, checkpoint.lateByDevice);
              await saveProgress(client, checkpoint);
            } catch (error) {
              await end('ROLLBACK').catch(() => undefined);
              throw error;
            }
            await end('COMMIT');
          },
          rollback: () => end('ROLLBACK'),
        };
      } catch (error) {
        await end('ROLLBACK').catch(() => undefined);
        throw error;
      }
    },
  };
}

async function loadDeviceStates(
  client: PoolClient,
  deviceIds: readonly string[],
): Promise<Map<string, DeviceState>> {
  const result = await client.query<{
    device_id: string;
    max_event_ts_ms: string | null;
    stats: DeviceStats;
    open_windows: Record<string, WindowValues>;
    open_window_values: Buffer | null;
    recent_readings: Buffer | null;
  }>(
    `SELECT device_id, max_event_ts_ms, stats, open_window_values, recent_readings,
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
      recent: row.recent_readings === null ? new Map() : decodeRecentReadings(row.recent_readings),
    });
  }
  return states;
}

/** The rows are locked by this transaction with the epoch checked: the update cannot overwrite a newer owner's. */
async function saveProgress(client: PoolClient, checkpoint: Checkpoint): Promise<void> {
  const partitions = [...checkpoint.nextOffsets.keys()];
  if (partitions.length === 0) return;
  await client.query(
    `UPDATE iot_lake_progress AS t SET next_offset = u.o, updated_at = now()
     FROM unnest($2::int[], $3::bigint[]) AS u(p, o)
     WHERE t.topic = $1 AND t.kafka_partition = u.p AND t.next_offset < u.o`,
    [checkpoint.topic, partitions, partitions.map((p) => String(checkpoint.nextOffsets.get(p)))],
  );
}

async function saveStates(client: PoolClient, states: ReadonlyMap<string, DeviceState>): Promise<void> {
  if (states.size === 0) return;
  const ids: string[] = [];
  const maxTs: (string | null)[] = [];
  const stats: string[] = [];
  const windows: Buffer[] = [];
  const recent: Buffer[] = [];
  for (const [id, state] of states) {
    ids.push(id);
    maxTs.push(state.maxEventTs === null ? null : String(state.maxEventTs));
    stats.push(JSON.stringify(state.stats));
    windows.push(encodeOpenWindows(state.windows));
    recent.push(encodeRecentReadings(state.recent));
  }
  await client.query(
    `INSERT INTO iot_device_state (device_id, max_event_ts_ms, stats, open_window_values, recent_readings)
     SELECT * FROM unnest($1::text[], $2::bigint[], $3::jsonb[], $4::bytea[], $5::bytea[])
     ON CONFLICT (device_id) DO UPDATE SET max_event_ts_ms = EXCLUDED.max_event_ts_ms, stats = EXCLUDED.stats,
       open_window_values = EXCLUDED.open_window_values, recent_readings = EXCLUDED.recent_readings,
       open_windows = '{}', updated_at = now()`,
    [ids, maxTs, stats, windows, recent],
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
