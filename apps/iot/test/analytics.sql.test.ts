import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import {
  type AnalyticsTestEnv,
  analyticsKeyHeaders,
  createAnalyticsTestEnv,
  TEST_SQL_KEY,
  writeSampleLake,
} from './analytics.support.ts';

const infra = inject('infrastructure');
let env: AnalyticsTestEnv;
const END_MS = Date.now();

beforeAll(async () => {
  // 3 s: long enough that the queries of one test are all admitted while the first still runs
  env = await createAnalyticsTestEnv(
    infra,
    'iot-sql',
    { maxRows: 50, timeoutMs: 3000 },
    {
      ANALYTICS_SQL_MAX_BYTES: String(64 * 1024),
      ANALYTICS_QUERIES_PER_CLIENT: '2',
      ANALYTICS_QUERIES_IN_FLIGHT: '3',
    },
  );
  await writeSampleLake(env.lakeDir, 4, 30, END_MS);
});
afterAll(async () => {
  await env?.close();
});

const sql = (text: string, remoteAddress = '127.0.0.1') =>
  env.app.inject({
    method: 'POST',
    url: '/api/sql',
    remoteAddress,
    headers: { 'x-api-key': TEST_SQL_KEY },
    payload: { sql: text },
  });
const SLOW = 'SELECT count(*) FROM raw a, raw b, raw c, raw d, raw e';

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
    // issue 16: a CTE named like a catalog view must not whitelist the view outside its scope
    'SELECT * FROM (WITH duckdb_settings AS (SELECT 1 AS x) SELECT * FROM duckdb_settings) AS a, duckdb_settings',
    '(WITH duckdb_views AS (SELECT 1 AS x) SELECT x FROM duckdb_views) UNION ALL (SELECT 1 FROM duckdb_views)',
    "SELECT * FROM raw WHERE device_id IN (WITH duckdb_tables AS (SELECT 'a' AS t) SELECT t FROM duckdb_tables) AND EXISTS (SELECT 1 FROM duckdb_tables)",
    // a non-recursive CTE naming itself reads the catalog's view of that name
    'WITH duckdb_settings AS (SELECT * FROM duckdb_settings) SELECT * FROM duckdb_settings',
    'WITH a AS (SELECT * FROM duckdb_columns), duckdb_columns AS (SELECT 1) SELECT * FROM a',
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

  it('still answers CTEs in their own scope, recursive ones included', async () => {
    const nested = await sql(
      'WITH r AS (SELECT device_id FROM raw), s AS (SELECT * FROM r) SELECT count(*)::INTEGER AS n FROM s, (WITH r AS (SELECT 1 AS one) SELECT * FROM r) AS t',
    );
    expect(nested.json()).toEqual({ rows: [{ n: 720 }], truncated: false });
    const recursive = await sql(
      'WITH RECURSIVE k(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM k WHERE n < 3) SELECT sum(n)::INTEGER AS s FROM k',
    );
    expect(recursive.json()).toEqual({ rows: [{ s: 6 }], truncated: false });
    const commented = await sql('SELECT count(*)::INTEGER AS n FROM raw -- how many');
    expect(commented.json()).toEqual({ rows: [{ n: 720 }], truncated: false });
  });

  it('requires the key: none or a wrong one is 401 before the body is read', async () => {
    // the analytics API key (and so the page's session) does not open the SQL endpoint
    for (const headers of [{}, { 'x-api-key': `${TEST_SQL_KEY}-wrong` }, analyticsKeyHeaders]) {
      const res = await env.app.inject({
        method: 'POST',
        url: '/api/sql',
        headers,
        payload: { sql: 'SELECT 1' },
      });
      expect(res.statusCode).toBe(401);
      expect(res.json()).toEqual({ error: 'unauthorized', message: 'send a valid x-api-key header' });
    }
  });

  it('refuses a result past the byte cap with 413, without reading it', async () => {
    const big = await sql("SELECT repeat('x', 1000000) AS s");
    expect(big.statusCode, big.body.slice(0, 200)).toBe(413);
    expect(big.json()).toEqual({
      error: 'payload_too_large',
      message: 'result too large',
      fields: [{ field: 'sql', message: expect.stringMatching(/larger than 65536 bytes/) }],
    });
    // many small rows add up the same way: 50 × 2 kB is past 64 kB, 50 × 1 kB is not
    expect((await sql("SELECT repeat('x', 2000) AS s FROM raw")).statusCode).toBe(413);
    const fits = await sql("SELECT repeat('x', 1000) AS s FROM raw");
    expect(fits.statusCode).toBe(200);
    expect(fits.json()).toMatchObject({ truncated: true, rows: expect.any(Array) });
  });

  it("answers issue 16's repeat('x', 150000000) with a 4xx and never holds it on the heap", async () => {
    const heapBefore = process.memoryUsage().heapUsed;
    const huge = await sql("SELECT repeat('x', 150000000) AS s");
    // DuckDB takes seconds to build the string: under load the time limit (408) may come first
    expect([408, 413], huge.body.slice(0, 200)).toContain(huge.statusCode);
    expect(huge.body.length).toBeLessThan(1000);
    // the service runs in this process: the 150 MB string never became a JS string
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(100 * 1024 * 1024);
  });

  it('interrupts a query that runs past the time limit', async () => {
    const res = await sql(SLOW);
    expect(res.statusCode, res.body).toBe(408);
    expect(res.json()).toEqual({ error: 'request_timeout', message: expect.any(String) });
  });

  it('bounds the queries in flight per client (429) and in all (503), with the error body', async () => {
    // 2 per client, 3 in all: a's third is 429, c's first (a 2 + b 1 admitted) is 503. Each
    // admitted one holds its slot until its time limit (3 s from asking), past the next steps.
    const a = [sql(SLOW, '10.0.0.1'), sql(SLOW, '10.0.0.1')];
    await vi.waitFor(() => expect(env.lake.inFlight).toBe(2));
    const aThird = await sql(SLOW, '10.0.0.1');
    const b = sql(SLOW, '10.0.0.2');
    await vi.waitFor(() => expect(env.lake.inFlight).toBe(3));
    const c = await sql(SLOW, '10.0.0.3');
    expect(aThird.statusCode).toBe(429);
    expect(aThird.json()).toEqual({
      error: 'too_many_requests',
      message: expect.stringMatching(/this client/),
    });
    expect(aThird.headers['retry-after']).toBe('1');
    expect(c.statusCode).toBe(503);
    expect(c.json()).toEqual({ error: 'unavailable', message: expect.stringMatching(/in flight/) });
    // the admitted ones all end within their time limit, queueing counted: 408, none runs on
    for (const res of await Promise.all([...a, b])) expect(res.statusCode).toBe(408);
    expect(env.lake.inFlight).toBe(0);
    expect((await sql('SELECT 1 AS one', '10.0.0.3')).json()).toEqual({
      rows: [{ one: 1 }],
      truncated: false,
    });
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

  it('bounds every service query: hours and ranges validated (issue 16: /api/fleet?hours=720)', async () => {
    const fleet = await env.app.inject({ url: '/api/fleet?hours=720', headers: analyticsKeyHeaders });
    expect(fleet.statusCode).toBe(400);
    expect(fleet.json()).toMatchObject({ error: 'bad_request', fields: [{ field: 'hours' }] });
    for (const url of [
      '/api/devices/an-dev-1/series?from=2026-01-01T00:00:00Z&to=2026-03-01T00:00:00Z',
      '/api/anomalies?from=2026-03-01T00:00:00Z&to=2026-01-01T00:00:00Z',
      '/api/anomalies?to=2026-01-01T00:00:00Z&from=2026-01-01T00:00:00Z',
    ]) {
      const res = await env.app.inject({ url, headers: analyticsKeyHeaders });
      expect(res.statusCode, url).toBe(400);
      expect(res.json()).toEqual({
        error: 'bad_request',
        message: 'invalid query string',
        fields: [{ field: 'from', message: expect.any(String) }],
      });
    }
    expect((await env.app.inject({ url: '/api/fleet?hours=168', headers: analyticsKeyHeaders })).statusCode).toBe(200);
  });

  it('answers an unknown route, and a body that is not JSON, in the common error body', async () => {
    const res = await env.app.inject({ url: '/api/nope', headers: analyticsKeyHeaders });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ error: 'not_found', message: 'no route GET /api/nope' });
    const text = await env.app.inject({
      method: 'POST',
      url: '/api/sql',
      headers: { 'content-type': 'text/plain', 'x-api-key': TEST_SQL_KEY },
      payload: 'SELECT 1',
    });
    expect(text.statusCode).toBe(415);
    expect(text.json().error).toBe('unsupported_media_type');
  });
});
