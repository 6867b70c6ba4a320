/**
 * What every processor test file needs: its own topics, database and lake directory, the real
 * services behind them, an in-process processor, and DuckDB reads of the lake.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { loadConfig } from '@streamkit/config';
import { type KafkaWithTopics, openKafkaWithTopics } from '@streamkit/kafka';
import { createPool } from '@streamkit/postgres';
import { type RunningService, silentLogger, startService } from '@streamkit/runtime';
import type { SensorReading } from '@streamkit/schemas';
import { createTestDatabase, type Infrastructure, type TestDatabase, uniqueName } from '@streamkit/testkit';
import { useFileEnv } from '@streamkit/testkit/file-env';
import type pg from 'pg';
import { inject } from 'vitest';
import { type IotTopics, iotTopicSpecs, iotTopics } from '../src/common/topics.ts';
import { migrate } from '../src/db/migrate.ts';
import { LAKE_TABLES, tableGlob } from '../src/lake/paths.ts';
import { defaultAnomalySettings } from '../src/processor/anomaly.ts';
import { processorEnv, processorSettings } from '../src/processor/config.ts';
import type { ProcessorSettings } from '../src/processor/processor.ts';
import { processorService } from '../src/processor/service.ts';
import { iotServiceEnv } from './support/service-env.ts';

export const PARTITIONS = 3;
export const BASE_MS = Date.parse('2026-03-01T10:00:00.000Z');

export interface ProcessorTestEnv extends KafkaWithTopics {
  readonly infra: Infrastructure;
  readonly name: string;
  readonly topics: IotTopics;
  readonly db: TestDatabase;
  readonly pool: pg.Pool;
  readonly lakeDir: string;
  /** The micro-batch settings the processor runs with (from the same environment). */
  settings(): ProcessorSettings;
  /** Starts the processor service in this process, as in production (`overrides`: more environment). */
  startProcessor(overrides?: Record<string, string>): Promise<RunningService<unknown, unknown>>;
  /** Runs SQL over the lake: `raw`, `windows` and `alerts` are views of the Parquet files (once there are some). */
  queryLake<T = Record<string, unknown>>(sql: string): Promise<T[]>;
  /** The `n` of a `SELECT count(*)::INTEGER AS n …` over the lake; 0 where there is no row. */
  countLake(sql: string): Promise<number>;
  close(): Promise<void>;
}

/** The processor's environment in a test: small, frequent micro-batches on the test's own names. */
export function processorTestEnv(
  infra: Infrastructure,
  name: string,
  databaseUrl: string,
  lakeDir: string,
): Record<string, string> {
  return {
    ...iotServiceEnv(infra, name, databaseUrl, lakeDir, PARTITIONS),
    METRICS_PORT: '0',
    PROCESSOR_GROUP_ID: `${name}-processor`,
    PROCESSOR_TRIGGER_INTERVAL_MS: '300',
    PROCESSOR_TRIGGER_MAX_RECORDS: '2000',
    PROCESSOR_WINDOW_MS: '60000',
    PROCESSOR_ALLOWED_LATENESS_MS: '60000',
    PROCESSOR_MAX_RUN_SIZE: '500',
    PROCESSOR_PARTITIONS_CONCURRENTLY: String(PARTITIONS),
    PROCESSOR_SESSION_TIMEOUT_MS: '10000',
  };
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

/**
 * `steps` readings from each of `devices` devices `<prefix>-<d>`, `stepMs` apart (a device's
 * readings 1 ms after the previous device's), temperatures from `temperature(step, device)`.
 */
export function fleetReadings(
  prefix: string,
  devices: number,
  steps: number,
  stepMs: number,
  temperature = (step: number, device: number) => 20 + ((step * 13 + device) % 40) / 10,
): SensorReading[] {
  const out: SensorReading[] = [];
  for (let i = 0; i < steps; i++) {
    for (let d = 0; d < devices; d++)
      out.push(reading(`${prefix}-${d}`, i, BASE_MS + i * stepMs + d, temperature(i, d)));
  }
  return out;
}

/** The pure batch step's settings in the unit tests (one-minute windows, 30 s lateness, 10 min dedup). */
export const stepTestSettings = {
  windowMs: 60_000,
  allowedLatenessMs: 30_000,
  anomaly: defaultAnomalySettings,
  dedupHorizonMs: 600_000,
};

/** The processor environment of a test file, open for all its tests: `const env = useProcessorEnv('iot-x')`. */
export function useProcessorEnv(label: string): () => ProcessorTestEnv {
  return useFileEnv(() => createProcessorTestEnv(inject('infrastructure'), label));
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
  // the readings are produced before the processor (which ensures the same topics) starts
  const { kafka, producer } = await openKafkaWithTopics({
    brokers: infra.kafkaBrokers,
    clientId: name,
    logger: silentLogger,
    topics: iotTopicSpecs(topics, PARTITIONS),
    producer: { lingerMs: 2, maxBatchSize: 1000 },
  });
  const lakeDir = await mkdtemp(join(tmpdir(), `${name}-lake-`));
  const env = processorTestEnv(infra, name, db.url, lakeDir);
  const processors: RunningService<unknown, unknown>[] = [];
  const duck = await DuckDBInstance.create(':memory:');
  const conn = await duck.connect();
  async function queryLake<T>(sql: string): Promise<T[]> {
    for (const table of LAKE_TABLES) {
      // a table without files yet (no window closed, no alert raised) gets no view
      const files = await conn.runAndReadAll(
        `SELECT count(*)::INTEGER AS n FROM glob('${tableGlob(lakeDir, table)}')`,
      );
      if (files.getRowObjectsJS()[0]?.n === 0) continue;
      await conn.run(
        `CREATE OR REPLACE VIEW ${table} AS SELECT * FROM read_parquet('${tableGlob(lakeDir, table)}', hive_partitioning = true, union_by_name = true)`,
      );
    }
    const result = await conn.runAndReadAll(sql);
    return result.getRowObjectsJS() as T[];
  }
  return {
    infra,
    name,
    topics,
    db,
    pool,
    kafka,
    producer,
    lakeDir,
    settings: () => processorSettings(loadConfig(processorEnv, env)),
    async startProcessor(overrides = {}) {
      const processor = await startService(processorService, {
        env: { ...env, ...overrides },
        logger: silentLogger,
      });
      processors.push(processor);
      return processor;
    },
    queryLake,
    countLake: async (sql) => (await queryLake<{ n: number }>(sql))[0]?.n ?? 0,
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
