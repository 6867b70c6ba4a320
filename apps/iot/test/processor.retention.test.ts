// Retention of what the processor writes, on a real filesystem and PostgreSQL: whole expired hive
// partitions leave the lake and DuckDB still answers for the rest (an emptied table included); the
// live tables lose exactly their expired rows; a reading dated 2099 moves no cutoff; the processor
// service prunes on its own schedule and counts it in /metrics.
import { mkdir, mkdtemp, readdir, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger, startService } from '@streamkit/runtime';
import { sampleValue } from '@streamkit/testkit';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openLakeDatabase } from '../src/analytics/lake-database.ts';
import { EXPIRED_DIR, pruneLake } from '../src/lake/retention.ts';
import { pruneProcessorData } from '../src/processor/retention.ts';
import { processorService } from '../src/processor/service.ts';
import { writeSampleLake } from './analytics.support.ts';
import { createProcessorTestEnv, type ProcessorTestEnv, processorTestEnv } from './processor.harness.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const NOW = Date.parse('2026-06-15T12:00:00Z'); // the clock the lake tests pin
let env: ProcessorTestEnv;
const lakes: string[] = [];

beforeAll(async () => {
  env = await createProcessorTestEnv(inject('infrastructure'), 'iot-ret');
});
afterAll(async () => {
  await env?.close();
  for (const dir of lakes) await rm(dir, { recursive: true, force: true });
});

async function newLake(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'iot-retention-lake-'));
  lakes.push(dir);
  return dir;
}

/** `table`'s partitions as "date/hour", sorted. */
async function partitions(lakeDir: string, table: string): Promise<string[]> {
  const found: string[] = [];
  for (const date of await readdir(join(lakeDir, table)).catch(() => [])) {
    for (const hour of await readdir(join(lakeDir, table, date)))
      found.push(`${date.slice(5)}/${hour.slice(5)}`);
  }
  return found.sort();
}

/** 2 devices × 3 minutes ending at `iso` (raw: 18 readings each; windows: 3 each; 1 alert each). */
const sample = (lakeDir: string, iso: string) => writeSampleLake(lakeDir, 2, 3, Date.parse(iso));
/** Half past the hour `ms` before now (the 3 minutes before it stay in one hour partition). */
const halfPastBefore = (ms: number) =>
  new Date(Math.floor((Date.now() - ms) / HOUR) * HOUR + HOUR / 2).toISOString();

describe('lake retention', () => {
  it('deletes exactly the expired hour and day partitions; DuckDB answers for the rest', async () => {
    const lake = await newLake();
    // raw retention 30 days behind NOW: the cutoff is 2026-05-16T12:00Z
    await sample(lake, '2026-05-10T08:30:00Z'); // a whole expired day
    await sample(lake, '2026-05-16T10:30:00Z'); // hour 10 ends at 11:00: expired
    await sample(lake, '2026-05-16T11:30:00Z'); // hour 11 ends at 12:00, on the cutoff: expired
    await sample(lake, '2026-05-16T12:30:00Z'); // hour 12 ends after the cutoff: kept
    await sample(lake, '2026-06-15T11:30:00Z'); // this morning
    await sample(lake, '2099-01-01T00:30:00Z'); // a broken clock: only its own partition stays
    const db = await openLakeDatabase(lake);
    try {
      const counts = async () =>
        (
          await db.query(
            `SELECT (SELECT count(*) FROM raw)::INT AS raw, (SELECT count(*) FROM windows)::INT AS windows,
                    (SELECT count(*) FROM alerts)::INT AS alerts`,
          )
        )[0];
      expect(await counts()).toEqual({ raw: 6 * 36, windows: 6 * 6, alerts: 6 * 2 });

      const removed = await pruneLake(
        lake,
        { raw: 30 * DAY, windows: 40 * DAY, alerts: 2 * DAY },
        { nowMs: NOW },
      );
      // one Parquet file per partition and device (2 devices): raw lost 3 partitions, alerts 4
      // (cutoff 2026-06-13T12:00Z), windows none (cutoff 2026-05-06T12:00Z)
      expect(removed).toEqual({ raw: 6, windows: 0, alerts: 8 });
      expect(await partitions(lake, 'raw')).toEqual(['2026-05-16/12', '2026-06-15/11', '2099-01-01/00']);
      expect(await partitions(lake, 'alerts')).toEqual(['2026-06-15/11', '2099-01-01/00']);
      expect(await partitions(lake, 'windows')).toHaveLength(6);
      expect(await readdir(lake)).not.toContain(EXPIRED_DIR);
      // the same database, opened before the prune, answers for exactly what is kept
      expect(await counts()).toEqual({ raw: 3 * 36, windows: 6 * 6, alerts: 2 * 2 });
      const hours = await db.query(
        `SELECT strftime(ts, '%Y-%m-%d %H') AS hour, count(*)::INT AS n FROM raw GROUP BY 1 ORDER BY 1`,
      );
      expect(hours).toEqual([
        { hour: '2026-05-16 12', n: 36 },
        { hour: '2026-06-15 11', n: 36 },
        { hour: '2099-01-01 00', n: 36 },
      ]);

      // nothing more to delete; then every alert partition expires: the view answers empty
      expect(
        await pruneLake(lake, { raw: 30 * DAY, windows: 40 * DAY, alerts: 2 * DAY }, { nowMs: NOW }),
      ).toEqual({
        raw: 0,
        windows: 0,
        alerts: 0,
      });
      await pruneLake(
        lake,
        { raw: 30 * DAY, windows: 40 * DAY, alerts: 0 },
        { nowMs: Date.parse('2100-01-01T00:00:00Z') },
      );
      expect((await counts())?.alerts).toBe(0);
      expect(
        await db.userQuery('SELECT count(*) AS n FROM alerts', {
          maxRows: 10,
          maxBytes: 65_536,
          timeoutMs: 5000,
        }),
      ).toEqual({
        rows: [{ n: '0' }],
        truncated: false,
      });
    } finally {
      db.close();
    }
  });

  it('finishes what a crash between the move and the delete left behind', async () => {
    const lake = await newLake();
    await sample(lake, '2026-05-10T08:30:00Z');
    await sample(lake, '2026-06-15T11:30:00Z');
    // a partition moved aside by a run that then died
    await mkdir(join(lake, EXPIRED_DIR), { recursive: true });
    await rename(
      join(lake, 'windows', 'date=2026-05-10'),
      join(lake, EXPIRED_DIR, 'windows~date=2026-05-10~x'),
    );
    const removed = await pruneLake(
      lake,
      { raw: 30 * DAY, windows: 30 * DAY, alerts: 30 * DAY },
      { nowMs: NOW },
    );
    expect(removed).toEqual({ raw: 2, windows: 0, alerts: 2 });
    expect(await readdir(lake)).not.toContain(EXPIRED_DIR);
    for (const table of ['raw', 'windows', 'alerts'])
      expect(await partitions(lake, table)).toEqual(['2026-06-15/11']);
  });
});

describe('processor retention', () => {
  const retention = (lakeDir: string) => ({
    lakeDir,
    lake: { raw: 30 * DAY, windows: 90 * DAY, alerts: 90 * DAY },
    liveWindowsRetentionMs: 7 * DAY,
    lateCountsRetentionMs: 30 * DAY,
    batchRows: 2,
  });
  const column = async (sql: string) => (await env.pool.query<{ v: string }>(sql)).rows.map((r) => r.v);

  it('deletes exactly the expired live windows and late counters, by the wall clock', async () => {
    const insertWindow = (device: string, startSql: string) =>
      env.pool.query(
        `INSERT INTO iot_window_aggregates (device_id, window_start, window_end, reading_count, metrics, closed)
         VALUES ($1, ${startSql}, ${startSql} + interval '1 minute', 1, '{}', true)`,
        [device],
      );
    await insertWindow('d-old', `date_trunc('minute', now()) - interval '8 days'`);
    await insertWindow('d-older', `date_trunc('minute', now()) - interval '10 days'`);
    await insertWindow('d-recent', `date_trunc('minute', now()) - interval '6 days'`);
    await insertWindow('d-2099', `'2099-01-01T00:00:00Z'::timestamptz`);
    await env.pool.query(
      `INSERT INTO iot_late_readings (device_id, dropped, updated_at)
       VALUES ('d-old', 3, now() - interval '31 days'), ('d-recent', 2, now() - interval '29 days'), ('d-now', 1, now())`,
    );
    const lake = await newLake();
    await sample(lake, halfPastBefore(40 * DAY));
    await sample(lake, halfPastBefore(2 * HOUR));

    expect(await pruneProcessorData(env.pool, retention(lake))).toEqual({
      iot_window_aggregates: 2,
      iot_late_readings: 1,
      lake_raw_files: 2,
      lake_windows_files: 0,
      lake_alerts_files: 0,
    });
    expect(await column('SELECT device_id AS v FROM iot_window_aggregates ORDER BY 1')).toEqual([
      'd-2099',
      'd-recent',
    ]);
    expect(await column('SELECT device_id AS v FROM iot_late_readings ORDER BY 1')).toEqual([
      'd-now',
      'd-recent',
    ]);
  });

  it('the processor service prunes on its own schedule and counts it in /metrics', async () => {
    const lake = await newLake();
    await sample(lake, halfPastBefore(40 * DAY));
    await sample(lake, halfPastBefore(2 * HOUR));
    const processor = await startService(processorService, {
      env: {
        ...processorTestEnv(env.infra, env.name, env.db.url, lake),
        PROCESSOR_RETENTION_INTERVAL_MS: '100',
      },
      logger: silentLogger,
    });
    try {
      await expect.poll(async () => (await partitions(lake, 'raw')).length, { timeout: 10_000 }).toBe(1);
      // the files go before the run ends and counts them: wait for the count, not only the files
      const removed = async () =>
        sampleValue(
          await (await fetch(`${processor.address}/metrics`)).text(),
          'streamkit_retention_removed_total',
          {
            family: 'lake_raw_files',
          },
        );
      await expect.poll(removed, { timeout: 10_000 }).toBe(2);
      // windows and alerts keep 90 days
      expect(await partitions(lake, 'windows')).toHaveLength(2);
    } finally {
      await processor.stop();
    }
  });
});
