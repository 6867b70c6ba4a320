/** An analytics service (started as in production) over a lake written directly with the processor's writer. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger, startService } from '@streamkit/runtime';
import type { IotAlert } from '@streamkit/schemas';
import { createTestDatabase, type Infrastructure, type TestDatabase, uniqueName } from '@streamkit/testkit';
import type { FastifyInstance } from 'fastify';
import type { LakeDatabase } from '../src/analytics/lake-database.ts';
import type { LiveFeed } from '../src/analytics/live-feed.ts';
import { analyticsService } from '../src/analytics/service.ts';
import { createLakeWriter } from '../src/lake/parquet-writer.ts';
import type { RawRow } from '../src/processor/batch-step.ts';
import { addToWindow, aggregateWindow, emptyWindowValues } from '../src/processor/windows.ts';
import { reading } from './processor.harness.ts';
import { iotServiceEnv } from './support/service-env.ts';

export interface AnalyticsTestEnv {
  readonly name: string;
  readonly lakeDir: string;
  readonly db: TestDatabase;
  readonly lake: LakeDatabase;
  readonly feed: LiveFeed;
  readonly app: FastifyInstance;
  /** http://127.0.0.1:<port> of the listening service. */
  readonly baseUrl: string;
  close(): Promise<void>;
}

/** The x-api-key of POST /api/sql in every test's analytics service. */
export const TEST_SQL_KEY = 'test-analytics-sql-key';

/** The analytics service's environment in a test: a group of its own beside the test's `iotServiceEnv`. */
export function analyticsTestEnv(name: string, serviceEnv: Record<string, string>): Record<string, string> {
  return {
    ...serviceEnv,
    ANALYTICS_PORT: '0',
    ANALYTICS_HOST: '127.0.0.1',
    ANALYTICS_INSTANCE_ID: name,
    ANALYTICS_LIVE_POLL_MS: '100',
    ANALYTICS_API_KEY: analyticsTestApiKey,
    ANALYTICS_SQL_KEY: TEST_SQL_KEY,
  };
}

export const analyticsTestApiKey = 'test-analytics-key-0123456789';
/** What a program sends to /api routes (the dashboard page uses a session instead). */
export const analyticsKeyHeaders = Object.freeze({ 'x-api-key': analyticsTestApiKey });

/** Starts the analytics service; its app, lake and feed for the test. */
export async function startAnalytics(env: Record<string, string>) {
  const service = await startService(analyticsService, { env, logger: silentLogger });
  if (service.app === undefined || service.parts === undefined)
    throw new Error('the analytics service started without its app');
  return { service, app: service.app, ...service.parts };
}

/**
 * Writes `devices` devices × `minutes` minutes of readings (one every 10 s) ending at `endMs`,
 * their closed windows, and one threshold alert per device, as the processor would.
 */
export async function writeSampleLake(
  lakeDir: string,
  devices: number,
  minutes: number,
  endMs: number,
): Promise<void> {
  const writer = await createLakeWriter(lakeDir);
  const startMs = Math.floor(endMs / 60_000) * 60_000 - minutes * 60_000;
  for (let d = 0; d < devices; d++) {
    const id = `an-dev-${d}`;
    const rows: RawRow[] = [];
    for (let i = 0; i < minutes * 6; i++) {
      const r = reading(id, i, startMs + i * 10_000, 20 + d + (i % 6) / 2);
      rows.push({ reading: r, tsMs: startMs + i * 10_000, late: false, partition: d % 3, offset: String(i) });
    }
    const range = {
      topic: 't',
      partition: d % 3,
      first: BigInt(d * 10_000),
      last: BigInt(d * 10_000 + rows.length - 1),
    };
    await writer.writeRaw(range, rows);
    const windows = [];
    for (let m = 0; m < minutes; m++) {
      const values = emptyWindowValues();
      for (const row of rows.slice(m * 6, m * 6 + 6)) addToWindow(values, row.reading.metrics);
      windows.push(aggregateWindow(id, startMs + m * 60_000, 60_000, values));
    }
    await writer.writeWindows(range, windows);
    const alert: IotAlert = {
      alertId: `alert-${d}`,
      deviceId: id,
      ts: new Date(startMs + 30_000).toISOString(),
      kind: 'threshold',
      metric: 'temperature',
      value: 95,
      threshold: 90,
      message: 'temperature 95 above 90',
      createdAt: new Date(endMs).toISOString(),
    };
    await writer.writeAlerts(range, [alert]);
  }
  writer.close();
}

export async function createAnalyticsTestEnv(
  infra: Infrastructure,
  label: string,
  limits = { maxRows: 50, timeoutMs: 2000 },
  extraEnv: Record<string, string> = {},
): Promise<AnalyticsTestEnv> {
  const name = uniqueName(label);
  const lakeDir = await mkdtemp(join(tmpdir(), `${name}-lake-`));
  const db = await createTestDatabase(infra.databaseUrl, name.replaceAll('-', '_'));
  const analytics = await startAnalytics({
    ...analyticsTestEnv(name, iotServiceEnv(infra, name, db.url, lakeDir)),
    ANALYTICS_SQL_MAX_ROWS: String(limits.maxRows),
    ANALYTICS_SQL_TIMEOUT_MS: String(limits.timeoutMs),
    ...extraEnv,
  });
  return {
    name,
    lakeDir,
    db,
    lake: analytics.lake,
    feed: analytics.feed,
    app: analytics.app,
    baseUrl: analytics.service.address,
    async close() {
      await analytics.service.stop();
      await db.drop();
      await rm(lakeDir, { recursive: true, force: true });
    },
  };
}
