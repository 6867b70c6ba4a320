// One test file's own slice of the real infrastructure: a fresh database with the views, a topic
// prefix, a producer, and the sink consumer started on demand.
import {
  createKafka,
  createProducer,
  ensureTopics,
  type KafkaClient,
  type RunningConsumer,
  type TypedProducer,
} from '@streamkit/kafka';
import { createPool } from '@streamkit/postgres';
import { createServiceRegistry, silentLogger } from '@streamkit/runtime';
import { createPipelineMetrics } from '@streamkit/telemetry';
import { createTestDatabase, type Infrastructure, type TestDatabase, uniqueName } from '@streamkit/testkit';
import type pg from 'pg';
import { type DashboardTopics, dashboardTopics } from '../../src/common/topics.ts';
import { createViewReader, type ViewReader, type ViewRow } from '../../src/dashboard/view-reader.ts';
import { createLogSink, type LogSink, type SinkWriteResult } from '../../src/sink/log-sink.ts';
import { startSinkConsumer } from '../../src/sink/sink-consumer.ts';
import { VIEW_NAMES, type ViewName } from '../../src/views/catalog.ts';
import { migrateViews } from '../../src/views/migrate-views.ts';

export interface SinkTestEnv {
  readonly name: string;
  readonly prefix: string;
  readonly db: TestDatabase;
  readonly pool: pg.Pool;
  readonly kafka: KafkaClient;
  readonly topics: DashboardTopics;
  readonly producer: TypedProducer;
  readonly sink: LogSink;
  readonly reader: ViewReader;
  /** Totals of every batch the started consumers wrote. */
  readonly written: { inserted: number; duplicates: number; late: number };
  startSink(groupSuffix?: string): Promise<RunningConsumer>;
  /** Every view, all windows, canonically ordered. */
  allViews(): Promise<Record<ViewName, ViewRow[]>>;
  close(): Promise<void>;
}

export async function createSinkTestEnv(infra: Infrastructure, label: string): Promise<SinkTestEnv> {
  const name = uniqueName(`dash-${label}`);
  const prefix = `${name}.`;
  const db = await createTestDatabase(infra.databaseUrl, `dash-${label}`);
  const topics = dashboardTopics(prefix);
  await migrateViews({ engine: 'postgres', url: db.url, logsTopic: topics.logs.name, kafkaBootstrap: '' });
  const pool = createPool(db.url, { max: 4 });
  const kafka = createKafka({ brokers: infra.kafkaBrokers, clientId: name, logger: silentLogger });
  await ensureTopics(kafka, [
    { topic: topics.logs.name, partitions: 3, retentionMs: 3_600_000, withDlq: true },
  ]);
  const producer = await createProducer(kafka, {});
  const sink = createLogSink({ pool, allowedLatenessMs: 3_600_000 });
  const reader = createViewReader(pool);
  const written = { inserted: 0, duplicates: 0, late: 0 };
  const consumers: RunningConsumer[] = [];
  const registry = createServiceRegistry(`${name}-sink`, { defaultMetrics: false });
  const metrics = createPipelineMetrics(registry);

  return {
    name,
    prefix,
    db,
    pool,
    kafka,
    topics,
    producer,
    sink,
    reader,
    written,
    async startSink(groupSuffix = 'sink') {
      const consumer = await startSinkConsumer(kafka, {
        topic: topics.logs,
        groupId: `${name}-${groupSuffix}`,
        sink,
        metrics,
        logger: silentLogger,
        onWritten: (result: SinkWriteResult) => {
          written.inserted += result.inserted;
          written.duplicates += result.duplicates;
          written.late += result.late;
        },
      });
      consumers.push(consumer);
      return consumer;
    },
    async allViews() {
      const entries = await Promise.all(
        VIEW_NAMES.map(
          async (view) => [view, canonical((await reader.read(view, { limit: 100_000 })).rows)] as const,
        ),
      );
      return Object.fromEntries(entries) as Record<ViewName, ViewRow[]>;
    },
    async close() {
      for (const consumer of consumers) await consumer.stop().catch(() => undefined);
      await producer.disconnect().catch(() => undefined);
      await pool.end().catch(() => undefined);
      await db.drop().catch(() => undefined);
    },
  };
}

/** Rows in one order whatever the engine's collation: by every column's text. */
export function canonical(rows: readonly ViewRow[]): ViewRow[] {
  const key = (row: ViewRow) => JSON.stringify(Object.values(row));
  return [...rows].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

export function canonicalViews(views: Record<ViewName, ViewRow[]>): Record<ViewName, ViewRow[]> {
  return Object.fromEntries(VIEW_NAMES.map((v) => [v, canonical(views[v])])) as Record<ViewName, ViewRow[]>;
}
