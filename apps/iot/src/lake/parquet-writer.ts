import { randomUUID } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { type DuckDBAppender, type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { type IotAlert, SENSOR_METRIC_NAMES } from '@streamkit/schemas';
import type { RawRow } from '../processor/batch-step.ts';
import type { WindowAggregate } from '../processor/windows.ts';
import { publishFile } from './durable-file.ts';
import { LakeError } from './errors.ts';
import { batchFileName, type LakeTable, type OffsetRange, partitionDir, partitionKey } from './paths.ts';
import { alertColumnsSql, rawColumnsSql, windowColumnsSql } from './table-schemas.ts';

export interface LakeWriter {
  /**
   * Writes one file per hour partition the rows fall in; resolves once every file is durable.
   * Returns the paths. Once `signal` is aborted no further file is put in place (its reason is thrown).
   */
  writeRaw(range: OffsetRange, rows: readonly RawRow[], signal?: AbortSignal): Promise<string[]>;
  writeWindows(
    range: OffsetRange,
    windows: readonly WindowAggregate[],
    signal?: AbortSignal,
  ): Promise<string[]>;
  writeAlerts(range: OffsetRange, alerts: readonly IotAlert[], signal?: AbortSignal): Promise<string[]>;
  close(): void;
}

/** A lake writer over an in-memory DuckDB (used only to encode Parquet; nothing is kept in it). */
export async function createLakeWriter(lakeDir: string): Promise<LakeWriter> {
  const instance = await DuckDBInstance.create(':memory:', { threads: '1' });
  const connection = await instance.connect();
  await connection.run(`CREATE TEMP TABLE staging_raw (${rawColumnsSql})`);
  await connection.run(`CREATE TEMP TABLE staging_windows (${windowColumnsSql})`);
  await connection.run(`CREATE TEMP TABLE staging_alerts (${alertColumnsSql})`);
  // one staging table per kind on one connection: writes of different partitions take turns on it
  let encoding: Promise<unknown> = Promise.resolve();
  function serially<T>(task: () => Promise<T>): Promise<T> {
    const run = encoding.then(task, task);
    encoding = run.catch(() => undefined);
    return run;
  }

  async function writeGroups<R>(
    table: LakeTable,
    staging: string,
    range: OffsetRange,
    rows: readonly R[],
    tsOf: (row: R) => number,
    append: (appender: DuckDBAppender, row: R) => void,
    fileName: string,
    signal: AbortSignal | undefined,
  ): Promise<string[]> {
    const groups = new Map<number, R[]>();
    for (const row of rows) {
      const key = partitionKey(tsOf(row));
      const group = groups.get(key);
      if (group === undefined) groups.set(key, [row]);
      else group.push(row);
    }
    // DuckDB encodes one file at a time (one staging table); the fsyncs of the files run side by
    // side with each other and with the next file's encoding (also the other partitions' writes)
    const published: Promise<string>[] = [];
    for (const group of groups.values()) {
      const dir = partitionDir(lakeDir, table, tsOf(group[0] as R));
      const finalPath = join(dir, fileName);
      const tempPath = join(dir, `.${fileName}.${randomUUID()}.tmp`);
      const failed = (error: unknown) =>
        new LakeError(`writing ${finalPath} for ${range.topic}[${range.partition}] failed`, { cause: error });
      try {
        await mkdir(dir, { recursive: true });
        await serially(async () => {
          await connection.run(`DELETE FROM ${staging}`);
          const appender = await connection.createAppender(staging);
          for (const row of group) {
            append(appender, row);
            appender.endRow();
          }
          appender.closeSync();
          await copyTo(connection, staging, tempPath);
        });
      } catch (error) {
        await Promise.allSettled(published); // none still putting a file in place once this throws
        throw failed(error);
      }
      published.push(
        publishFile(tempPath, finalPath, signal).then(
          () => finalPath,
          (error: unknown) => Promise.reject(failed(error)),
        ),
      );
    }
    const settled = await Promise.allSettled(published);
    const rejected = settled.find((r) => r.status === 'rejected');
    if (rejected !== undefined) throw rejected.reason;
    const written = settled.map((r) => (r as PromiseFulfilledResult<string>).value);
    return written;
  }

  return {
    writeRaw: (range, rows, signal) =>
      writeGroups('raw', 'staging_raw', range, rows, (r) => r.tsMs, appendRaw, batchFileName(range), signal),
    writeWindows: (range, windows, signal) =>
      writeGroups(
        'windows',
        'staging_windows',
        range,
        windows,
        (w) => w.windowStart,
        appendWindow,
        batchFileName(range),
        signal,
      ),
    writeAlerts: (range, alerts, signal) =>
      writeGroups(
        'alerts',
        'staging_alerts',
        range,
        alerts,
        (a) => Date.parse(a.ts),
        appendAlert,
        batchFileName(range),
        signal,
      ),
    close() {
      connection.closeSync();
      instance.closeSync();
    },
  };
}

async function copyTo(connection: DuckDBConnection, staging: string, path: string): Promise<void> {
  await connection.run(
    `COPY (SELECT * FROM ${staging}) TO '${path.replaceAll("'", "''")}' (FORMAT parquet, COMPRESSION zstd)`,
  );
}

function appendRaw(a: DuckDBAppender, row: RawRow): void {
  a.appendVarchar(row.reading.deviceId);
  a.appendBigInt(BigInt(row.tsMs));
  a.appendBigInt(BigInt(row.reading.seq));
  for (const name of SENSOR_METRIC_NAMES) a.appendDouble(row.reading.metrics[name]);
  a.appendBoolean(row.late);
  a.appendInteger(row.partition);
  a.appendBigInt(BigInt(row.offset));
}

function appendWindow(a: DuckDBAppender, w: WindowAggregate): void {
  a.appendVarchar(w.deviceId);
  a.appendBigInt(BigInt(w.windowStart));
  a.appendBigInt(BigInt(w.windowEnd));
  a.appendInteger(w.count);
  for (const name of SENSOR_METRIC_NAMES) {
    const m = w.metrics[name];
    a.appendDouble(m.min);
    a.appendDouble(m.max);
    a.appendDouble(m.mean);
    a.appendDouble(m.p95);
  }
}

function appendAlert(a: DuckDBAppender, alert: IotAlert): void {
  a.appendVarchar(alert.alertId);
  a.appendVarchar(alert.deviceId);
  a.appendBigInt(BigInt(Date.parse(alert.ts)));
  a.appendVarchar(alert.kind);
  a.appendVarchar(alert.metric);
  a.appendDouble(alert.value);
  if (alert.threshold === undefined) a.appendNull();
  else a.appendDouble(alert.threshold);
  if (alert.zScore === undefined) a.appendNull();
  else a.appendDouble(alert.zScore);
  a.appendVarchar(alert.message);
}
