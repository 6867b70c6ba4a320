// Retention of the PostgreSQL engine: old raw lines and per-client rows go (in batches), the
// views' windows stay until their own retention, and a copy of a pruned line is still not counted
// twice (it is behind the watermark, so late); a line dated 2099 cannot expire the rest.
import { afterAll, describe, expect, it } from 'vitest';
import type { SinkRecord } from '../src/sink/copy-rows.ts';
import { createLogSink } from '../src/sink/log-sink.ts';
import { createRetentionPruner } from '../src/sink/retention.ts';
import { ViewsSettingsError } from '../src/views/errors.ts';
import { logRecords } from './support/log-records.ts';
import { useSinkEnv } from './support/sink-harness.ts';

const env = useSinkEnv('retention');
const HOUR = 3_600_000;
const t0 = Date.UTC(2025, 5, 1, 0, 0, 0);

afterAll(async () => {});

const count = async (table: string, where = 'true') =>
  Number((await env().pool.query(`select count(*)::int as n from ${table} where ${where}`)).rows[0].n);

/** Records as the sink consumer hands them over (partition/offset given, ids from log-records). */
/** Lines kept 2 h behind the newest event time, rollups 24 h, in batches of 1000 (`overrides` change them). */
const prunerOf = (overrides: Partial<Parameters<typeof createRetentionPruner>[0]> = {}) =>
  createRetentionPruner({
    pool: env().pool,
    linesRetentionMs: 2 * HOUR,
    rollupRetentionMs: 24 * HOUR,
    allowedLatenessMs: 2 * HOUR,
    batchRows: 1000,
    maxBatchesPerRun: 10,
    ...overrides,
  });

function records(idPrefix: string, startMs: number, n: number): SinkRecord[] {
  return logRecords({ count: n, startMs, stepMs: 1000, idPrefix }).map((value, i) => ({
    topic: env().topics.logs.name,
    value,
    partition: 0,
    offset: String(i),
  }));
}

describe('retention', () => {
  it('deletes lines and per-client rows behind the newest event time, in batches, keeping the views', async () => {
    const sink = createLogSink({ pool: env().pool, allowedLatenessMs: 10 * HOUR });
    // 300 lines at t0 (5 minutes), then 300 three hours later: the newest event time moves on
    expect((await sink.write(records('f.old', t0, 300))).inserted).toBe(300);
    expect((await sink.write(records('f.new', t0 + 3 * HOUR, 300))).inserted).toBe(300);
    const viewsBefore = await env().allViews();
    const clientsBefore = await count('dash_clients_1m');

    const pruner = prunerOf({ batchRows: 64, maxBatchesPerRun: 100 });
    const deleted = (await pruner.prune()).deleted ?? {};
    expect(deleted.dash_log_lines).toBe(300);
    expect(await count('dash_log_lines')).toBe(300);
    expect(await count('dash_log_lines', `ts < '${new Date(t0 + HOUR).toISOString()}'`)).toBe(0);
    expect(deleted.dash_clients_1m).toBeGreaterThan(0);
    expect(await count('dash_clients_1m')).toBe(clientsBefore - (deleted.dash_clients_1m ?? 0));
    // the views still show the old windows: their rollups are kept for 24 h
    expect(await env().allViews()).toEqual(viewsBefore);
    // nothing more to delete
    expect(Object.values((await pruner.prune()).deleted ?? {}).every((n) => n === 0)).toBe(true);
  });

  it('drops a late copy of a pruned line instead of counting it again', async () => {
    // a sink with lateness 2 h: the pruned lines (3 h behind) are behind its watermark
    const sink = createLogSink({ pool: env().pool, allowedLatenessMs: 2 * HOUR });
    const before = await env().allViews();
    const result = await sink.write(records('f.old', t0, 10));
    expect(result).toEqual({ inserted: 0, duplicates: 0, late: 10 });
    expect(await env().allViews()).toEqual(before);
  });

  it('deletes rollup windows past their own retention', async () => {
    const pruner = prunerOf({ rollupRetentionMs: 2 * HOUR });
    const deleted = (await pruner.prune()).deleted ?? {};
    expect(deleted.dash_requests_1s).toBe(300);
    const old = `window_start < '${new Date(t0 + HOUR).toISOString()}'`;
    for (const table of ['dash_requests_1s', 'dash_requests_10s', 'dash_status_1m', 'dash_paths_5m'])
      expect(await count(table, old), table).toBe(0);
    expect(await count('dash_requests_1s')).toBe(300);
  });

  it('measures from the wall clock when the newest event time is in the future (a line dated 2099)', async () => {
    const now = Date.now();
    const sink = createLogSink({ pool: env().pool, allowedLatenessMs: 10 * HOUR });
    expect((await sink.write(records('f.live', now - HOUR, 60))).inserted).toBe(60);
    // what one line with a broken clock leaves behind (however it got in)
    await env().pool.query(
      `update dash_views_version set max_event_ts = '2099-01-01T00:00:00Z' where id = 1`,
    );
    const pruner = prunerOf({ now: () => now });
    await pruner.prune();
    // the live hour is kept; only the lines of June 2025 (older than 2 h behind the clock) went
    expect(await count('dash_log_lines')).toBe(60);
    expect(await count('dash_log_lines', `line_key like '%f.live.%'`)).toBe(60);
    expect(
      await count('dash_requests_1s', `window_start >= '${new Date(now - 2 * HOUR).toISOString()}'`),
    ).toBe(60);
  });

  it('refuses a lines retention shorter than the allowed lateness', () => {
    expect(() =>
      prunerOf({ linesRetentionMs: HOUR, rollupRetentionMs: HOUR, batchRows: 10, maxBatchesPerRun: 1 }),
    ).toThrow(ViewsSettingsError);
  });
});
