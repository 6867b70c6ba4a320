import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Pool } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { ViewsSettingsError } from '../views/errors.ts';
import { copyText, LOG_LINE_COLUMNS, type SinkRecord } from './copy-rows.ts';
import { APPLY_STAGED_SQL } from './rollup-sql.ts';

export interface LogSinkSettings {
  readonly pool: Pool;
  /**
   * How far behind the newest event time a line may be and still count (ms). Older lines are
   * behind the watermark: dropped and reported as `late`, since their windows are final.
   */
  readonly allowedLatenessMs: number;
}

export interface SinkWriteResult {
  /** Lines stored and counted now. */
  readonly inserted: number;
  /** Lines seen before (a redelivery or a re-sent line): changed nothing. */
  readonly duplicates: number;
  /** Lines behind the watermark: dropped. */
  readonly late: number;
}

export interface LogSink {
  /** Stores a batch and updates every view's windows, in one transaction; idempotent. */
  write(records: readonly SinkRecord[]): Promise<SinkWriteResult>;
}

const STAGING_DDL = `create temp table if not exists dash_log_staging
  (like dash_log_lines including defaults) on commit delete rows`;
const LOCK_VERSION_SQL = 'select version from dash_views_version where id = 1 for update';

/** The PostgreSQL engine's sink: COPY into a staging table, then one set-based statement. */
export function createLogSink(settings: LogSinkSettings): LogSink {
  const { pool, allowedLatenessMs } = settings;
  if (!Number.isFinite(allowedLatenessMs) || allowedLatenessMs < 0)
    throw new ViewsSettingsError('log sink', [`allowedLatenessMs must be >= 0, got ${allowedLatenessMs}`]);
  const copySql = `copy dash_log_staging (${LOG_LINE_COLUMNS.join(', ')}) from stdin`;
  return {
    async write(records) {
      if (records.length === 0) return { inserted: 0, duplicates: 0, late: 0 };
      const client = await pool.connect();
      try {
        // one round trip (a simple query of three statements) instead of three per batch; the
        // transaction stays open after it. One writer at a time: concurrent replicas would
        // otherwise deadlock on shared window rows.
        await client.query(`${STAGING_DDL}; begin; ${LOCK_VERSION_SQL}`);
        await pipeline(Readable.from([copyText(records)]), client.query(copyFrom(copySql)));
        const result = await client.query<{ inserted: number; late: number; max_ts: Date | null }>(
          APPLY_STAGED_SQL,
          [allowedLatenessMs],
        );
        const row = result.rows[0] ?? { inserted: 0, late: 0, max_ts: null };
        // the bump and the commit in one round trip: a simple query takes no parameters, so the
        // newest event time goes in as a literal (a Date's ISO text, as the parameter was sent)
        const bump =
          row.inserted > 0 && row.max_ts !== null
            ? `update dash_views_version set version = version + 1,
                 max_event_ts = greatest(max_event_ts, '${row.max_ts.toISOString()}'::timestamptz) where id = 1; `
            : '';
        await client.query(`${bump}commit`);
        return {
          inserted: row.inserted,
          late: row.late,
          duplicates: records.length - row.inserted - row.late,
        };
      } catch (error) {
        await client.query('rollback').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
  };
}
