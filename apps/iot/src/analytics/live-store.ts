import type { Pool } from 'pg';
import { LivePositionError } from './errors.ts';

export interface LiveWindow {
  readonly deviceId: string;
  readonly windowStart: string;
  readonly readingCount: number;
  readonly metrics: Record<string, { min: number; max: number; mean: number; p95: number }>;
  readonly closed: boolean;
  readonly updatedAt: string;
  /** Higher for every write of this window: of two copies of a window, keep the higher version. */
  readonly version: number;
}

/** The most devices the fleet view (REST and the stream's snapshot) lists. */
export const FLEET_LIMIT = 10_000;

/** The live (Postgres) side: the processor's latest window aggregates, open ones included. */
export interface LiveStore {
  /** Each device's newest window. */
  latestPerDevice(limit: number): Promise<LiveWindow[]>;
  deviceWindows(deviceId: string, limit: number): Promise<LiveWindow[]>;
  /** Where the table's commit history is now (a PostgreSQL snapshot, `xmin:xmax:xip,…`). */
  position(): Promise<string>;
  /**
   * Every window whose current state committed after `position` — each exactly once, in pages of
   * at most `pageSize` — and the position to read from next.
   */
  changesSince(
    position: string,
    onPage: (windows: readonly LiveWindow[]) => void,
    pageSize?: number,
  ): Promise<string>;
}

const COLUMNS = `device_id AS "deviceId", window_start AS "windowStart", reading_count AS "readingCount", metrics, closed,
  to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS "updatedAt",
  version::float8 AS version`; // a sequence value: exact as a JSON number below 2^53

const SNAPSHOT = /^(\d+):(\d+):((?:\d+(?:,\d+)*)?)$/;

/** The parts of a snapshot a change query needs: the first unassigned xid and those in progress. */
function parseSnapshot(text: string): { xmax: string; inProgress: string[] } {
  const match = SNAPSHOT.exec(text);
  if (match === null) throw new LivePositionError(text);
  return { xmax: match[2] ?? '', inProgress: match[3] ? match[3].split(',') : [] };
}

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
    async position() {
      const r = await pool.query<{ snapshot: string }>('SELECT pg_current_snapshot()::text AS snapshot');
      return r.rows[0]?.snapshot ?? '';
    },
    async changesSince(position, onPage, pageSize = 1000) {
      const { xmax, inProgress } = parseSnapshot(position);
      const client = await pool.connect();
      try {
        // one snapshot for the new position and the rows: nothing commits between them
        await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
        const now = await client.query<{ snapshot: string }>(
          'SELECT pg_current_snapshot()::text AS snapshot',
        );
        // Visible now and not in the previous snapshot: written by a transaction that had no xid
        // yet (>= xmax) or was still running (in xip). Any other writer had committed (or aborted)
        // before that read, which therefore saw its rows.
        await client.query(
          `DECLARE live_changes NO SCROLL CURSOR FOR SELECT ${COLUMNS} FROM iot_window_aggregates
           WHERE change_xid >= $1::xid8 OR change_xid = ANY($2::xid8[])`,
          [xmax, inProgress],
        );
        for (;;) {
          const page = await client.query<LiveWindow>(`FETCH ${pageSize} FROM live_changes`);
          if (page.rows.length > 0) onPage(page.rows);
          if (page.rows.length < pageSize) break;
        }
        await client.query('COMMIT');
        return now.rows[0]?.snapshot ?? position;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
  };
}
