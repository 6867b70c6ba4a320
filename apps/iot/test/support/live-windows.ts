import { SENSOR_METRIC_NAMES } from '@streamkit/schemas';
import type pg from 'pg';
import type { ReferenceWindow } from '../processor.reference.ts';

/** The live table `iot_window_aggregates`, in the reference's shape, ordered by device and window. */
export async function readLiveWindows(pool: pg.Pool): Promise<ReferenceWindow[]> {
  const live = await pool.query<{
    device_id: string;
    start_ms: string;
    reading_count: number;
    metrics: Record<string, Record<string, number>>;
    closed: boolean;
  }>(
    `SELECT device_id, (extract(epoch FROM window_start) * 1000)::bigint AS start_ms, reading_count, metrics, closed
     FROM iot_window_aggregates ORDER BY device_id, window_start`,
  );
  return live.rows.map((r) => ({
    deviceId: r.device_id,
    windowStartMs: Number(r.start_ms),
    count: r.reading_count,
    metrics: Object.fromEntries(
      SENSOR_METRIC_NAMES.map((m) => {
        const a = r.metrics[m] as Record<'min' | 'max' | 'mean' | 'p95', number>;
        return [m, [a.min, a.max, a.mean, a.p95] as [number, number, number, number]];
      }),
    ),
    closed: r.closed,
  }));
}
