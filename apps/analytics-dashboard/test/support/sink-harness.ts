// One test file's own slice of the real infrastructure: a fresh database with the views, a topic
// prefix, a producer, and the sink consumer started on demand.
import { type KafkaWithTopics, openKafkaWithTopics } from '@streamkit/kafka';
import { createPool } from '@streamkit/postgres';
import { type RunningService, silentLogger, startService } from '@streamkit/runtime';
import { createTestDatabase, type Infrastructure, type TestDatabase, uniqueName } from '@streamkit/testkit';
import { useFileEnv } from '@streamkit/testkit/file-env';
import type pg from 'pg';
import { inject } from 'vitest';
import { type DashboardTopics, dashboardTopics } from '../../src/common/topics.ts';
import { createViewReader, type ViewReader, type ViewRow } from '../../src/dashboard/view-reader.ts';
import { createLogSink, type LogSink } from '../../src/sink/log-sink.ts';
import { type SinkTotals, sinkService } from '../../src/sink/service.ts';
import { VIEW_NAMES, type ViewName } from '../../src/views/catalog.ts';
import { migrateViews } from '../../src/views/migrate-views.ts';

export interface SinkTestEnv extends KafkaWithTopics {
  readonly name: string;
  readonly prefix: string;
  readonly db: TestDatabase;
  readonly pool: pg.Pool;
  /** host:port of the test broker, for services started here */
  readonly kafkaBrokers: readonly string[];
  readonly topics: DashboardTopics;
  readonly sink: LogSink;
  readonly reader: ViewReader;
  /** Totals of every batch the started sinks wrote. */
  readonly written: SinkTotals;
  /** Starts the sink service (as `pnpm demo dashboard` does) on this file's database and topics. */
  startSink(
    groupSuffix?: string,
    overrides?: Record<string, string>,
  ): Promise<RunningService<unknown, { totals: SinkTotals }>>;
  /** Every view, all windows, canonically ordered. */
  allViews(): Promise<Record<ViewName, ViewRow[]>>;
  close(): Promise<void>;
}

/** The sink environment of a test file, open for all its tests: `const env = useSinkEnv('x')`. */
export function useSinkEnv(label: string): () => SinkTestEnv {
  return useFileEnv(() => createSinkTestEnv(inject('infrastructure'), label));
}

export async function createSinkTestEnv(infra: Infrastructure, label: string): Promise<SinkTestEnv> {
  const name = uniqueName(`dash-${label}`);
  const prefix = `${name}.`;
  const db = await createTestDatabase(infra.databaseUrl, `dash-${label}`);
  const topics = dashboardTopics(prefix);
  await migrateViews({ engine: 'postgres', url: db.url, logsTopic: topics.logs.name, kafkaBootstrap: '' });
  const pool = createPool(db.url, { max: 4 });
  const { kafka, producer } = await openKafkaWithTopics({
    brokers: infra.kafkaBrokers,
    clientId: name,
    logger: silentLogger,
    topics: [{ topic: topics.logs.name, partitions: 3, retentionMs: 3_600_000, withDlq: true }],
  });
  const sink = createLogSink({ pool, allowedLatenessMs: 3_600_000 });
  const reader = createViewReader(pool);
  const sinks: RunningService<unknown, { totals: SinkTotals }>[] = [];
  const total = (field: keyof SinkTotals) => sinks.reduce((sum, s) => sum + (s.parts?.totals[field] ?? 0), 0);
  const written: SinkTotals = {
    get inserted() {
      return total('inserted');
    },
    get duplicates() {
      return total('duplicates');
    },
    get late() {
      return total('late');
    },
  };

  return {
    name,
    prefix,
    db,
    pool,
    kafka,
    kafkaBrokers: infra.kafkaBrokers,
    topics,
    producer,
    sink,
    reader,
    written,
    async startSink(groupSuffix = 'sink', overrides = {}) {
      const sink = await startService(sinkService, {
        env: {
          KAFKA_BROKERS: infra.kafkaBrokers.join(','),
          DATABASE_URL: db.url,
          KAFKA_TOPIC_PREFIX: prefix,
          SINK_GROUP_ID: groupSuffix,
          SINK_ALLOWED_LATENESS_MS: '3600000',
          METRICS_PORT: '0',
          LOG_LEVEL: 'warn',
          ...overrides,
        },
      });
      sinks.push(sink);
      return sink;
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
      for (const sink of sinks) await sink.stop().catch(() => undefined);
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
