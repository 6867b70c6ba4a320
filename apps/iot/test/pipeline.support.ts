/**
 * The whole pipeline in one test process, on the real services: hub (MQTT bridge) → Kafka →
 * processor → lake + Postgres → analytics app (DuckDB, SSE), and an MQTT device client.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RunningConsumer, runConsumer } from '@streamkit/kafka';
import { createServiceRegistry, silentLogger } from '@streamkit/runtime';
import type { SensorReading } from '@streamkit/schemas';
import type { FastifyInstance } from 'fastify';
import mqtt, { type MqttClient } from 'mqtt';
import { buildApp } from '../src/analytics/app.ts';
import { type LakeDatabase, openLakeDatabase } from '../src/analytics/lake-database.ts';
import { createLiveFeed, type LiveFeed } from '../src/analytics/live-feed.ts';
import { createLiveStore } from '../src/analytics/live-store.ts';
import { defaultAnomalySettings } from '../src/processor/anomaly.ts';
import { createProcessor, type Processor, type ProcessorSettings } from '../src/processor/processor.ts';
import { createHubHarness, type HubHarness, type HubInstance } from './support/hub-harness.ts';

export interface PipelineEnv {
  readonly harness: HubHarness;
  readonly hub: HubInstance;
  readonly processor: Processor;
  readonly settings: ProcessorSettings;
  readonly lakeDir: string;
  readonly lake: LakeDatabase;
  readonly feed: LiveFeed;
  readonly analytics: FastifyInstance;
  /** The analytics app's base URL (listening on 127.0.0.1, a free port). */
  readonly analyticsUrl: string;
  readonly device: MqttClient;
  publish(reading: SensorReading | string, asDevice?: string): Promise<void>;
  close(): Promise<void>;
}

export async function startPipeline(label: string): Promise<PipelineEnv> {
  const harness = await createHubHarness(label);
  const hub = await harness.startInstance();
  const lakeDir = await mkdtemp(join(tmpdir(), `${harness.name}-lake-`));
  const settings: ProcessorSettings = {
    groupId: `${harness.name}-processor`,
    trigger: { intervalMs: 250, maxRecords: 5000 },
    windowMs: 60_000,
    allowedLatenessMs: 60_000,
    anomaly: defaultAnomalySettings,
    maxRunSize: 1000,
    partitionsConsumedConcurrently: 3,
    sessionTimeoutMs: 10_000,
  };
  const processor = createProcessor({
    kafka: harness.kafka,
    pool: harness.pool,
    topics: harness.topics,
    lakeDir,
    settings,
    logger: silentLogger,
  });
  await processor.start();
  const lake = await openLakeDatabase(lakeDir);
  const live = createLiveStore(harness.pool);
  const feed = createLiveFeed(live, { pollMs: 100, maxSubscribers: 10 }, () => undefined);
  const analytics = await buildApp({
    db: lake,
    live,
    feed,
    registry: createServiceRegistry('iot-analytics-test', { defaultMetrics: false }),
    checks: {},
    limits: { maxRows: 1000, timeoutMs: 5000 },
  });
  const analyticsUrl = await analytics.listen({ host: '127.0.0.1', port: 0 });
  // what analytics/main.ts does: alerts from Kafka fan out to the dashboards
  const alerts: RunningConsumer = await runConsumer(harness.kafka, {
    groupId: `${harness.name}-analytics`,
    topic: harness.topics.alerts,
    fromBeginning: true,
    logger: silentLogger,
    handleBatch: async (messages) => {
      for (const m of messages) feed.publishAlert(m.value);
    },
  });
  const device = await mqtt.connectAsync(harness.mqttUrl, { protocolVersion: 5 });
  return {
    harness,
    hub,
    processor,
    settings,
    lakeDir,
    lake,
    feed,
    analytics,
    analyticsUrl,
    device,
    async publish(reading, asDevice) {
      const deviceId = asDevice ?? (typeof reading === 'string' ? 'unknown' : reading.deviceId);
      await device.publishAsync(
        harness.mqttTopics.telemetry(deviceId),
        typeof reading === 'string' ? reading : JSON.stringify(reading),
        { qos: 1 },
      );
    },
    async close() {
      await device.endAsync();
      await alerts.stop();
      await analytics.close();
      feed.close();
      await processor.stop();
      lake.close();
      await harness.close();
      await rm(lakeDir, { recursive: true, force: true });
    },
  };
}
