import { pruneTables, type TableRetention, tryWithAdvisoryLock } from '@streamkit/postgres';
import type { Pool } from 'pg';
import { ViewsError, ViewsSettingsError } from '../views/errors.ts';

export interface RetentionSettings {
  readonly pool: Pool;
  /**
   * How long raw lines (dash_log_lines, the sink's dedup state) and the per-client rows of
   * unique_clients (dash_clients_1m) are kept, behind the newest event time. At least the allowed
   * lateness: older lines are dropped as late anyway, so no copy can need them for dedup.
   */
  readonly linesRetentionMs: number;
  /** How long the views' rollup windows are kept (what the dashboard can show), at least linesRetentionMs. */
  readonly rollupRetentionMs: number;
  readonly allowedLatenessMs: number;
  /** rows per DELETE: short statements, so the sink's COPY batches never wait long on them */
  readonly batchRows: number;
  /** most DELETEs per table per prune() (the next run continues) */
  readonly maxBatchesPerRun: number;
  /** The wall clock (tests pin it). */
  readonly now?: () => number;
}

export interface PruneResult {
  /** rows deleted per table; undefined when another replica was pruning */
  readonly deleted: Readonly<Record<string, number>> | undefined;
}

export interface RetentionPruner {
  prune(signal?: AbortSignal): Promise<PruneResult>;
}

/** Tables and their time column: the raw lines and per-client rows, then the rollups behind each view. */
const LINE_TABLES = [
  ['dash_log_lines', 'ts'],
  ['dash_clients_1m', 'window_start'],
] as const;
const ROLLUP_TABLES = [
  ['dash_requests_1s', 'window_start'],
  ['dash_requests_10s', 'window_start'],
  ['dash_status_1m', 'window_start'],
  ['dash_latency_1m', 'window_start'],
  ['dash_paths_5m', 'window_start'],
  ['dash_unique_clients_1m', 'window_start'],
] as const;
/** the widest window: a window may be deleted once its end, not its start, is past the cutoff */
const WIDEST_WINDOW_MS = 300_000;

function families(settings: RetentionSettings): TableRetention[] {
  const family = (table: string, column: string, retentionMs: number): TableRetention => ({
    family: table,
    table,
    column,
    retentionMs: retentionMs + (column === 'ts' ? 0 : WIDEST_WINDOW_MS),
  });
  return [
    ...LINE_TABLES.map(([table, column]) => family(table, column, settings.linesRetentionMs)),
    ...ROLLUP_TABLES.map(([table, column]) => family(table, column, settings.rollupRetentionMs)),
  ];
}

/**
 * Deletes what fell out of retention, in small batches, measured from the newest event time the
 * sink has seen (event time, like the watermark: a replay of old logs does not delete itself) but
 * never from later than the wall clock: a line dated 2099 cannot expire everything else.
 */
export function createRetentionPruner(settings: RetentionSettings): RetentionPruner {
  const problems: string[] = [];
  if (!(settings.linesRetentionMs >= settings.allowedLatenessMs))
    problems.push('linesRetentionMs must be at least allowedLatenessMs (dedup needs the lines until then)');
  if (!(settings.rollupRetentionMs >= settings.linesRetentionMs))
    problems.push('rollupRetentionMs must be at least linesRetentionMs');
  if (!Number.isInteger(settings.batchRows) || settings.batchRows < 1)
    problems.push('batchRows must be a positive integer');
  if (!Number.isInteger(settings.maxBatchesPerRun) || settings.maxBatchesPerRun < 1)
    problems.push('maxBatchesPerRun must be a positive integer');
  if (problems.length > 0) throw new ViewsSettingsError('retention settings', problems);
  const { pool, batchRows, maxBatchesPerRun, now = Date.now } = settings;

  return {
    async prune(signal) {
      try {
        const run = await tryWithAdvisoryLock(pool, 'streamkit.dashboard.retention', async (client) => {
          const { rows } = await client.query<{ max_event_ts: Date | null }>(
            'select max_event_ts from dash_views_version where id = 1',
          );
          const newest = rows[0]?.max_event_ts?.getTime();
          if (newest === undefined) return {};
          return pruneTables(client, families(settings), {
            limits: { batchRows, maxBatches: maxBatchesPerRun },
            nowMs: Math.min(newest, now()),
            signal,
          });
        });
        return { deleted: run.acquired ? run.value : undefined };
      } catch (error) {
        throw new ViewsError(`retention: deleting old rows failed: ${(error as Error).message}`, {
          retriable: true,
          cause: error,
        });
      }
    },
  };
}
