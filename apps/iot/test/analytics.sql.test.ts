import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  type AnalyticsTestEnv,
  analyticsKeyHeaders,
  createAnalyticsTestEnv,
  writeSampleLake,
} from './analytics.support.ts';

const infra = inject('infrastructure');
let env: AnalyticsTestEnv;
const END_MS = Date.now();

beforeAll(async () => {
  env = await createAnalyticsTestEnv(infra, 'iot-sql', { maxRows: 50, timeoutMs: 300 });
  await writeSampleLake(env.lakeDir, 4, 30, END_MS);
});
afterAll(async () => {
  await env?.close();
});

const sql = (text: string) =>
  env.app.inject({ method: 'POST', url: '/api/sql', headers: analyticsKeyHeaders, payload: { sql: text } });

describe('read-only SQL endpoint', () => {
  it('answers a SELECT over the lake views, at most maxRows rows', async () => {
    const counted = await sql(
      'SELECT device_id, count(*) AS n FROM raw GROUP BY device_id ORDER BY device_id',
    );
    expect(counted.statusCode, counted.body).toBe(200);
    expect(counted.json().rows).toEqual([0, 1, 2, 3].map((d) => ({ device_id: `an-dev-${d}`, n: '180' })));
    const many = await sql('WITH w AS (SELECT * FROM windows) SELECT device_id, window_start FROM w');
    expect(many.json()).toMatchObject({ truncated: true });
    expect(many.json().rows).toHaveLength(50);
  });

  const attacks = [
    'DROP VIEW raw',
    'SELECT 1; DROP VIEW raw',
    "COPY raw TO '/tmp/iot-sql-escape.csv'",
    "COPY (SELECT * FROM raw) TO 'LAKE/raw/x.parquet'",
    "ATTACH '/tmp/iot-sql-escape.db' AS evil",
    'INSTALL httpfs',
    'LOAD httpfs',
    'PRAGMA database_list',
    'SET enable_external_access = true',
    'CREATE TABLE evil AS SELECT 1',
    "SELECT * FROM read_csv('/etc/passwd')",
    "SELECT * FROM read_text('/etc/hostname')",
    "SELECT * FROM read_parquet('LAKE/../../etc/*')",
    "SELECT * FROM glob('/*')",
    'SELECT * FROM duckdb_settings()',
    'SELECT * FROM information_schema.tables',
    "SELECT getenv('HOME')",
    "SELECT current_setting('allowed_directories')",
    "SELECT 1) AS q; COPY raw TO '/tmp/iot-sql-escape.csv'; SELECT * FROM (SELECT 1",
    'SELECT * FROM raw) UNION ALL (SELECT 1',
    'UPDATE raw SET seq = 0',
    'CALL pragma_version()',
  ];
  it.each(attacks)('refuses %s', async (attack) => {
    const res = await sql(attack.replaceAll('LAKE', env.lakeDir));
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json()).toEqual({
      error: 'bad_request',
      message: 'query rejected',
      fields: [{ field: 'sql', message: expect.any(String) }],
    });
  });

  it('leaves nothing written and the views intact after the attacks', async () => {
    expect(existsSync('/tmp/iot-sql-escape.csv')).toBe(false);
    expect(existsSync('/tmp/iot-sql-escape.db')).toBe(false);
    expect(existsSync(join(env.lakeDir, 'raw', 'x.parquet'))).toBe(false);
    const res = await sql('SELECT count(*)::INTEGER AS n FROM raw');
    expect(res.json().rows).toEqual([{ n: 720 }]);
  });

  it('cannot read outside the lake even when a query skips the guard (DuckDB file access is locked)', async () => {
    await expect(env.lake.query("SELECT * FROM read_csv('/etc/passwd')")).rejects.toThrow(
      /disabled|not allowed|Permission/i,
    );
    await expect(env.lake.query("COPY (SELECT 1) TO '/tmp/iot-sql-escape.csv'")).rejects.toThrow();
    await expect(env.lake.query('SET enable_external_access = true')).rejects.toThrow(/lock/i);
    expect(existsSync('/tmp/iot-sql-escape.csv')).toBe(false);
  });

  it('interrupts a query that runs past the time limit', async () => {
    const res = await sql('SELECT count(*) FROM raw a, raw b, raw c, raw d, raw e');
    expect(res.statusCode, res.body).toBe(408);
    expect(res.json()).toEqual({ error: 'request_timeout', message: expect.any(String) });
  });
});

describe('lake API', () => {
  it('serves a device series, anomalies and fleet health', async () => {
    const series = await env.app.inject({
      url: '/api/devices/an-dev-1/series',
      headers: analyticsKeyHeaders,
    });
    expect(series.statusCode, series.body).toBe(200);
    const windows = series.json().windows as { reading_count: number; temperature_mean: number }[];
    expect(windows).toHaveLength(30);
    expect(windows.every((w) => w.reading_count === 6)).toBe(true);
    expect(windows[0]?.temperature_mean).toBeCloseTo(21 + 1.25, 10);

    const anomalies = await env.app.inject({
      url: '/api/anomalies?deviceId=an-dev-2',
      headers: analyticsKeyHeaders,
    });
    expect(anomalies.json().anomalies).toMatchObject([
      { alert_id: 'alert-2', kind: 'threshold', device_id: 'an-dev-2' },
    ]);

    const fleet = await env.app.inject({ url: '/api/fleet?hours=1', headers: analyticsKeyHeaders });
    expect(fleet.statusCode, fleet.body).toBe(200);
    const devices = fleet.json().devices as {
      device_id: string;
      readings: number;
      uptime: number;
      health: string;
    }[];
    expect(devices.map((d) => d.device_id)).toEqual(['an-dev-0', 'an-dev-1', 'an-dev-2', 'an-dev-3']);
    expect(devices[0]).toMatchObject({ readings: 180, uptime: 0.5, health: 'ok' });
  });

  it('rejects a bad device id with 400 naming the field', async () => {
    const res = await env.app.inject({ url: '/api/anomalies?limit=0', headers: analyticsKeyHeaders });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({
      error: 'bad_request',
      message: 'invalid query string',
      fields: [{ field: 'limit', message: expect.any(String) }],
    });
    const badId = await env.app.inject({ url: '/api/devices/bad%20id/series', headers: analyticsKeyHeaders });
    expect(badId.json()).toMatchObject({ error: 'bad_request', fields: [{ field: 'id' }] });
  });

  it('answers an unknown route, and a body that is not JSON, in the common error body', async () => {
    const res = await env.app.inject({ url: '/api/nope', headers: analyticsKeyHeaders });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ error: 'not_found', message: 'no route GET /api/nope' });
    const text = await env.app.inject({
      method: 'POST',
      url: '/api/sql',
      headers: { ...analyticsKeyHeaders, 'content-type': 'text/plain' },
      payload: 'SELECT 1',
    });
    expect(text.statusCode).toBe(415);
    expect(text.json().error).toBe('unsupported_media_type');
  });
});
