import type { Pool } from 'pg';

export interface LiveWindow {
  readonly deviceId: string;
  readonly windowStart: string;
  readonly readingCount: number;
  readonly metrics: Record<string, { min: number; max: number; mean: number; p95: number }>;
  readonly closed: boolean;
  readonly updatedAt: string;
}

/** The live (Postgres) side: the processor's latest window aggregates, open ones included. */
export interface LiveStore {
  /** Each device's newest window. */
  latestPerDevice(limit: number): Promise<LiveWindow[]>;
  deviceWindows(deviceId: string, limit: number): Promise<LiveWindow[]>;
  /** Windows updated after `since` (exclusive), oldest first, and the cursor to poll from next. */
  changedSince(since: string, limit: number): Promise<{ windows: LiveWindow[]; cursor: string }>;
}

const COLUMNS = `device_id AS "deviceId", window_start AS "windowStart", reading_count AS "readingCount", metrics, closed,
  to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS "updatedAt"`;

export function createLiveStore(pool: Pool): LiveStore {
  return {
    async latestPerDevice(limit) {
      const r = await pool.query<LiveWindow>(
        `SELECT DISTINCT ON (device_id) ${COLUMNS} FROM iot_window_aggregates ORDER BY device_id, window_start DESC LIMIT $1`,
        [limit],
      );
      return r.rows;
    },
    async deviceWindows(deviceId, limit) {
      const r = await pool.query<LiveWindow>(
        `SELECT * FROM (SELECT ${COLUMNS} FROM iot_window_aggregates WHERE device_id = $1 ORDER BY window_start DESC LIMIT $2) w
         ORDER BY "windowStart"`,
        [deviceId, limit],
      );
      return r.rows;
    },
    async changedSince(since, limit) {
      const r = await pool.query<LiveWindow>(
        `SELECT ${COLUMNS} FROM iot_window_aggregates WHERE updated_at > $1::timestamptz ORDER BY updated_at LIMIT $2`,
        [since, limit],
      );
      return { windows: r.rows, cursor: r.rows.at(-1)?.updatedAt ?? since };
    },
  };
}
