// Micro-benchmark: upsert + read back 1,000 devices × 900 open-window values as JSONB vs packed
// float64 bytea (temp tables). `node bench/state-upsert.ts` (DATABASE_URL as the services).
import { loadConfig, postgresEnv } from '@streamkit/config';
import pg from 'pg';
import { encodeOpenWindows } from '../src/processor/window-codec.ts';

const pool = new pg.Pool({ connectionString: loadConfig(postgresEnv).databaseUrl, max: 1 });
const c = await pool.connect();
await c.query('CREATE TEMP TABLE sj (id text primary key, w jsonb)');
await c.query('CREATE TEMP TABLE sb (id text primary key, w bytea)');
await c.query('ALTER TABLE sb ALTER COLUMN w SET STORAGE EXTERNAL');
const states = Array.from(
  { length: 1000 },
  (_, d) =>
    new Map(
      [0, 1, 2].map((k) => [
        1_767_000_000_000 + k * 60000,
        {
          temperature: Array.from({ length: 60 }, (_, i) => 15 + ((d * 31 + i * 7) % 2000) / 100),
          humidity: Array.from({ length: 60 }, (_, i) => 30 + ((d + i * 13) % 500) / 10),
          pressure: Array.from({ length: 60 }, (_, i) => 990 + ((d + i) % 400) / 10),
          battery: Array.from({ length: 60 }, (_, i) => 100 - i / 10),
          vibration: Array.from({ length: 60 }, (_, i) => ((d * 3 + i) % 1000) / 37),
        },
      ]),
    ),
);
const ids = states.map((_, i) => `dev-${i}`);
for (const [name, sql, enc] of [
  [
    'jsonb',
    'INSERT INTO sj SELECT * FROM unnest($1::text[], $2::jsonb[]) ON CONFLICT (id) DO UPDATE SET w = EXCLUDED.w',
    (m: Map<number, unknown>) => JSON.stringify(Object.fromEntries(m)),
  ],
  [
    'bytea',
    'INSERT INTO sb SELECT * FROM unnest($1::text[], $2::bytea[]) ON CONFLICT (id) DO UPDATE SET w = EXCLUDED.w',
    (m: Map<number, never>) => encodeOpenWindows(m),
  ],
] as const) {
  const times: number[] = [];
  for (let r = 0; r < 6; r++) {
    const t = performance.now();
    await c.query(sql, [ids, states.map((s) => enc(s as never))]);
    const sel = await c.query(`SELECT * FROM ${name === 'jsonb' ? 'sj' : 'sb'}`);
    if (sel.rows.length !== 1000) throw new Error('rows');
    times.push(performance.now() - t);
  }
  console.log(name, 'upsert+read 1000 devices × 900 values, ms:', times.map((x) => x.toFixed(0)).join(' '));
}
c.release();
await pool.end();
