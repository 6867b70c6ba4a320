import { join } from 'node:path';

/** The lake's tables: raw readings, closed 1-minute window aggregates, and the alerts raised. */
export const LAKE_TABLES = ['raw', 'windows', 'alerts'] as const;
export type LakeTable = (typeof LAKE_TABLES)[number];

/** Hive partition directory of an instant: `<lake>/<table>/date=YYYY-MM-DD/hour=HH`. */
export function partitionDir(lakeDir: string, table: LakeTable, tsMs: number): string {
  const iso = new Date(tsMs).toISOString();
  return join(lakeDir, table, `date=${iso.slice(0, 10)}`, `hour=${iso.slice(11, 13)}`);
}

/**
 * Key of the partition directory an instant falls in: its UTC hour since the epoch (the
 * directories are UTC hours). A number, not the formatted date: computed once per row.
 */
export function partitionKey(tsMs: number): number {
  return Math.floor(tsMs / 3_600_000);
}

export interface OffsetRange {
  readonly topic: string;
  readonly partition: number;
  /** First and last offset of the batch's records (inclusive). */
  readonly first: bigint;
  readonly last: bigint;
}

/**
 * The file a batch writes into a partition directory: named by its source offsets, so replaying
 * the same batch overwrites the file instead of adding a duplicate.
 */
export function batchFileName(range: OffsetRange): string {
  return `${range.topic}~p${range.partition}~${range.first}-${range.last}.parquet`;
}

const batchFilePattern = /^(.+)~p(\d+)~(\d+)-(\d+)\.parquet$/;

export function parseBatchFileName(name: string): OffsetRange | undefined {
  const m = batchFilePattern.exec(name);
  if (m === null) return undefined;
  return {
    topic: m[1] as string,
    partition: Number(m[2]),
    first: BigInt(m[3] as string),
    last: BigInt(m[4] as string),
  };
}

/** Files the compaction command writes: they only ever hold rows of committed batches. */
export const COMPACTED_PREFIX = 'compacted-';

/** Glob of a table's Parquet files, for DuckDB's read_parquet. */
export function tableGlob(lakeDir: string, table: LakeTable): string {
  return join(lakeDir, table, '*', '*', '*.parquet');
}
