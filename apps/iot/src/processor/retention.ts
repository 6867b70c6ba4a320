import { resolve } from 'node:path';
import { pruneTables, type TableRetention, tryWithAdvisoryLock } from '@streamkit/postgres';
import type { Removed } from '@streamkit/runtime';
import type { Pool } from 'pg';
import { type LakeRetention, pruneLake } from '../lake/retention.ts';

export interface ProcessorRetention {
  readonly lakeDir: string;
  readonly lake: LakeRetention;
  readonly liveWindowsRetentionMs: number;
  readonly lateCountsRetentionMs: number;
  readonly batchRows: number;
}

export function processorTableFamilies(retention: ProcessorRetention): TableRetention[] {
  return [
    {
      family: 'iot_window_aggregates',
      table: 'iot_window_aggregates',
      column: 'window_start',
      retentionMs: retention.liveWindowsRetentionMs,
    },
    // a few rows per device, not indexed by updated_at: an index would slow every batch's upsert
    {
      family: 'iot_late_readings',
      table: 'iot_late_readings',
      column: 'updated_at',
      retentionMs: retention.lateCountsRetentionMs,
    },
  ];
}

/**
 * One prune of what the processor writes, under an advisory lock named after the lake (replicas
 * sharing it take turns; undefined when another one is pruning): the live tables' rows, then the
 * lake's expired partitions (files per table).
 */
export async function pruneProcessorData(
  pool: Pool,
  retention: ProcessorRetention,
  signal?: AbortSignal,
): Promise<Removed | undefined> {
  const lock = `streamkit.iot.retention.${resolve(retention.lakeDir)}`;
  const run = await tryWithAdvisoryLock(pool, lock, async (client) => {
    const rows = await pruneTables(client, processorTableFamilies(retention), {
      limits: { batchRows: retention.batchRows },
      signal,
    });
    const files = await pruneLake(retention.lakeDir, retention.lake, { signal });
    return {
      ...rows,
      lake_raw_files: files.raw,
      lake_windows_files: files.windows,
      lake_alerts_files: files.alerts,
    };
  });
  return run.acquired ? run.value : undefined;
}
