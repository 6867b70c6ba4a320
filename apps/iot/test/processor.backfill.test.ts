// The backfill command's core at a small size: generated readings through Kafka → processor → lake
// equal the reference, window for window, value for value.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createKafka } from '@streamkit/kafka';
import { createPool } from '@streamkit/postgres';
import { silentLogger } from '@streamkit/runtime';
import { createTestDatabase, type TestDatabase, uniqueName } from '@streamkit/testkit';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { runBackfill } from '../src/backfill/backfill.ts';
import { migrate } from '../src/db/migrate.ts';
import { defaultAnomalySettings } from '../src/processor/anomaly.ts';

const infra = inject('infrastructure');
const name = uniqueName('iot-backfill');
let db: TestDatabase;
let pool: pg.Pool;
let lakeDir: string;

beforeAll(async () => {
  db = await createTestDatabase(infra.databaseUrl, name.replaceAll('-', '_'));
  pool = createPool(db.url, { max: 3 });
  await migrate(pool);
  lakeDir = await mkdtemp(join(tmpdir(), `${name}-lake-`));
});
afterAll(async () => {
  await pool?.end();
  await db?.drop();
  if (lakeDir !== undefined) await rm(lakeDir, { recursive: true, force: true });
});

describe('backfill', () => {
  it('processes generated readings into the lake; its window aggregates equal the reference exactly', async () => {
    const kafka = createKafka({ brokers: infra.kafkaBrokers, clientId: name, logger: silentLogger });
    const lines: string[] = [];
    const result = await runBackfill(
      { kafka, pool, lakeDir, logger: silentLogger, progress: (l) => lines.push(l) },
      {
        runId: name,
        topicPrefix: `${name}.`,
        readings: 20_000,
        devices: 50,
        partitions: 3,
        startMs: Date.parse('2026-02-01T10:00:00Z'),
        progressEvery: 5000,
        processor: {
          trigger: { intervalMs: 200, maxRecords: 5000 },
          windowMs: 60_000,
          allowedLatenessMs: 60_000,
          anomaly: defaultAnomalySettings,
          maxRunSize: 2000,
          partitionsConsumedConcurrently: 3,
          sessionTimeoutMs: 10_000,
        },
      },
    );
    expect(result.mismatches).toEqual([]);
    expect(result.lakeRawRows).toBe(20_000);
    // 50 devices × 399 ticks of 1 s: 7 windows each closed by the last reading an hour later
    expect(result.windows).toBe(50 * 7);
    expect(lines.some((l) => l.startsWith('processed 20,000 / 20,000'))).toBe(true);
  });
});
