// The fuzzer at POST /api/sql: queries from a small grammar over the lake's views, their token-level
// mutations (statements, table functions, catalog names, CTE scopes, quotes, comments), random text
// and mutated bodies. Never a 5xx: a 200, or a 4xx in the common body (a 400 naming the field).
import {
  fc,
  fuzzIngress,
  hostileValue,
  mutationsOf,
  rawBodiesOf,
  reportFuzzFigures,
} from '@streamkit/testkit/fuzz';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  type AnalyticsTestEnv,
  createAnalyticsTestEnv,
  TEST_SQL_KEY,
  writeSampleLake,
} from './analytics.support.ts';

const infra = inject('infrastructure');
let env: AnalyticsTestEnv;

beforeAll(async () => {
  env = await createAnalyticsTestEnv(
    infra,
    'iot-sql-fuzz',
    { maxRows: 100, timeoutMs: 500 },
    {
      ANALYTICS_SQL_MAX_BYTES: String(32 * 1024),
    },
  );
  await writeSampleLake(env.lakeDir, 2, 5, Date.now());
});
afterAll(async () => {
  await env?.close();
});

const view = fc.constantFrom('raw', 'windows', 'alerts');
/** Plain columns or aggregates (not both: without GROUP BY DuckDB refuses the mix, rightly). */
const columns = fc.oneof(
  fc.array(fc.constantFrom('*', 'device_id'), { minLength: 1, maxLength: 2 }),
  fc.array(fc.constantFrom('count(*)', 'max(ts)', 'min(device_id)', 'count(DISTINCT device_id)'), {
    minLength: 1,
    maxLength: 3,
  }),
);
const select = fc
  .record({
    columns,
    from: view,
    where: fc.option(
      fc.constantFrom("device_id = 'an-dev-1'", "device_id LIKE 'an-%'", 'device_id IS NOT NULL'),
    ),
    limit: fc.option(fc.nat(500)),
  })
  .map(
    ({ columns, from, where, limit }) =>
      `SELECT ${columns.join(', ')} FROM ${from}${where === null ? '' : ` WHERE ${where}`}${limit === null ? '' : ` LIMIT ${limit}`}`,
  );
/** Tokens an attacker splices in: other statements, table functions, catalog views, CTEs, quoting. */
const hostileToken = fc.constantFrom(
  ';',
  '; DROP VIEW raw',
  "; COPY raw TO '/tmp/fuzz.csv'",
  "ATTACH '/tmp/fuzz.db' AS x",
  "read_csv('/etc/passwd')",
  "glob('/*')",
  'duckdb_settings()',
  'duckdb_settings',
  'information_schema.tables',
  'pragma_version()',
  "getenv('HOME')",
  'WITH duckdb_tables AS (SELECT 1) ',
  '(WITH duckdb_views AS (SELECT 1 AS x) SELECT x FROM duckdb_views)',
  "repeat('x', 100000)",
  'UNION ALL SELECT 1',
  ')',
  '(',
  "'",
  '"',
  '--',
  '/*',
  '$1',
  '?',
  '\u0000',
  'raw a, raw b, raw c, raw d',
);
const mutatedSql = fc
  .tuple(
    select,
    fc.array(fc.tuple(fc.nat(), fc.oneof(hostileToken, fc.string({ maxLength: 8 }))), {
      minLength: 1,
      maxLength: 3,
    }),
  )
  .map(([sql, edits]) => {
    let text = sql;
    for (const [at, token] of edits) {
      const i = at % (text.length + 1);
      text = `${text.slice(0, i)} ${token} ${text.slice(i)}`;
    }
    return text;
  });
const sqlText = fc.oneof(select, mutatedSql, fc.string({ maxLength: 200 }));

describe('fuzz: POST /api/sql', () => {
  it('answers every generated or mutated query with 200 or a 4xx naming the field', async () => {
    const body = sqlText.map((sql) => ({ sql }));
    const inputs = fc.oneof(
      { weight: 6, arbitrary: body.map((b) => JSON.stringify(b)) },
      mutationsOf(body).map((b) => JSON.stringify(b) ?? ''),
      fc.record({ sql: hostileValue }).map((b) => JSON.stringify(b) ?? ''),
      rawBodiesOf(body),
    );
    const figures = await fuzzIngress(
      'analytics POST /api/sql',
      inputs,
      async (payload) => {
        const res = await env.app.inject({
          method: 'POST',
          url: '/api/sql',
          headers: { 'content-type': 'application/json', 'x-api-key': TEST_SQL_KEY },
          payload,
        });
        return { status: res.statusCode, body: res.body };
      },
      // 408: a query past the time limit; 413: a result past the byte cap, or a body past the limit
      { accepted: [200], otherRejections: [408, 413] },
    );
    reportFuzzFigures(figures);
    expect(figures.accepted).toBeGreaterThan(0);
    expect(env.lake.inFlight).toBe(0);
    // the views are intact
    expect(await env.lake.query('SELECT count(*)::INTEGER AS n FROM raw')).toEqual([{ n: 60 }]);
  });
});
