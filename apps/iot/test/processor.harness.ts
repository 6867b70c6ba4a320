/**
 * What every processor test file needs: its own topics, database and lake directory, the real
 * services behind them, an in-process processor, and DuckDB reads of the lake.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import {
  createKafka,
  createProducer,
  ensureTopics,
  type KafkaClient,
  type TypedProducer,
} from '@streamkit/kafka';
import { createPool } from '@streamkit/postgres';
import { silentLogger } from '@streamkit/runtime';
import type { SensorReading } from '@streamkit/schemas';
import { createTestDatabase, type Infrastructure, type TestDatabase, uniqueName } from '@streamkit/testkit';
import type pg from 'pg';
import { type IotTopics, iotTopics } from '../src/common/topics.ts';
import { migrate } from '../src/db/migrate.ts';
import { tableGlob } from '../src/lake/paths.ts';
import { defaultAnomalySettings } from '../src/processor/anomaly.ts';
import { createProcessor, type Processor, type ProcessorSettings } from '../src/processor/processor.ts';

export const PARTITIONS = 3;
export const BASE_MS = Date.parse('2026-03-01T10:00:00.000Z');

export interface ProcessorTestEnv {
  readonly infra: Infrastructure;
  readonly name: string;
  readonly topics: IotTopics;
  readonly db: TestDatabase;
  readonly pool: pg.Pool;
  readonly kafka: KafkaClient;
  readonly producer: TypedProducer;
  readonly lakeDir: string;
  settings(overrides?: Partial<ProcessorSettings>): ProcessorSettings;
  startProcessor(overrides?: Partial<ProcessorSettings>): Promise<Processor>;
  /** Runs SQL over the lake: `raw` and `windows` are views of the Parquet files. */
  queryLake<T = Record<string, unknown>>(sql: string): Promise<T[]>;
  close(): Promise<void>;
}

export function reading(deviceId: string, seq: number, tsMs: number, temperature: number): SensorReading {
  return {
    deviceId,
    seq,
    ts: new Date(tsMs).toISOString(),
    metrics: {
      temperature,
      humidity: 40 + (seq % 7),
      pressure: 1000 + (seq % 5) / 4,
      battery: 90 - seq / 100,
      vibration: 2 + (seq % 3),
    },
  };
}

export async function createProcessorTestEnv(
  infra: Infrastructure,
  label: string,
): Promise<ProcessorTestEnv> {
  const name = uniqueName(label);
  const topics = iotTopics(`${name}.`);
  const db = await createTestDatabase(infra.databaseUrl, name.replaceAll('-', '_'));
  const pool = createPool(db.url, { max: 4 });
  await migrate(pool);
  const kafka = createKafka({ brokers: infra.kafkaBrokers, clientId: name, logger: silentLogger });
  await ensureTopics(kafka, [
    { topic: topics.telemetry.name, partitions: PARTITIONS, withDlq: true },
    { topic: topics.alerts.name, partitions: PARTITIONS },
  ]);
  const producer = await createProducer(kafka, { lingerMs: 2, maxBatchSize: 1000 });
  const lakeDir = await mkdtemp(join(tmpdir(), `${name}-lake-`));
  const processors: Processor[] = [];
  const settings = (overrides: Partial<ProcessorSettings> = {}): ProcessorSettings => ({
    groupId: `${name}-processor`,
    trigger: { intervalMs: 300, maxRecords: 2000 },
    windowMs: 60_000,
    allowedLatenessMs: 60_000,
    anomaly: defaultAnomalySettings,
    maxRunSize: 500,
    partitionsConsumedConcurrently: PARTITIONS,
    sessionTimeoutMs: 10_000,
    ...overrides,
  });
  const duck = await DuckDBInstance.create(':memory:');
  const conn = await duck.connect();
  return {
    infra,
    name,
    topics,
    db,
    pool,
    kafka,
    producer,
    lakeDir,
    settings,
    async startProcessor(overrides) {
      const processor = createProcessor({
        kafka,
        pool,
        topics,
        lakeDir,
        settings: settings(overrides),
        logger: silentLogger,
      });
      processors.push(processor);
      await processor.start();
      return processor;
    },
    async queryLake<T>(sql: string) {
      const views = ['raw', 'windows'] as const;
      for (const v of views) {
        await conn.run(
          `CREATE OR REPLACE VIEW ${v} AS SELECT * FROM read_parquet('${tableGlob(lakeDir, v)}', hive_partitioning = true, union_by_name = true)`,
        );
      }
      const result = await conn.runAndReadAll(sql);
      return result.getRowObjectsJS() as T[];
    },
    async close() {
      for (const p of processors) await p.stop().catch(() => undefined);
      await producer.disconnect();
      conn.closeSync();
      duck.closeSync();
      await pool.end();
      await db.drop();
      await rm(lakeDir, { recursive: true, force: true });
    },
  };
}
