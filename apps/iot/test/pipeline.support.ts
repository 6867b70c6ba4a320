/**
 * The whole pipeline in one test process, each service started as in production from its
 * definition, on the real services: hub (MQTT bridge) → Kafka → processor → lake + Postgres →
 * analytics (DuckDB, SSE), and an MQTT device client.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '@streamkit/config';
import { type RunningService, silentLogger, startService } from '@streamkit/runtime';
import type { SensorReading } from '@streamkit/schemas';
import type { FastifyInstance } from 'fastify';
import mqtt, { type MqttClient } from 'mqtt';
import { inject } from 'vitest';
import type { LakeDatabase } from '../src/analytics/lake-database.ts';
import type { LiveFeed } from '../src/analytics/live-feed.ts';
import { processorEnv, processorSettings } from '../src/processor/config.ts';
import type { ProcessorSettings } from '../src/processor/processor.ts';
import { processorService } from '../src/processor/service.ts';
import { analyticsTestEnv, startAnalytics } from './analytics.support.ts';
import { processorTestEnv } from './processor.harness.ts';
import { createHubHarness, type HubHarness, type HubInstance } from './support/hub-harness.ts';
import { iotServiceEnv } from './support/service-env.ts';

export interface PipelineEnv {
  readonly harness: HubHarness;
  readonly hub: HubInstance;
  readonly processor: RunningService<unknown, unknown>;
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
  const infra = inject('infrastructure');
  const harness = await createHubHarness(label);
  const hub = await harness.startInstance();
  const lakeDir = await mkdtemp(join(tmpdir(), `${harness.name}-lake-`));
  const processorEnvironment = {
    ...processorTestEnv(infra, harness.name, harness.database.url, lakeDir),
    PROCESSOR_TRIGGER_INTERVAL_MS: '250',
    PROCESSOR_TRIGGER_MAX_RECORDS: '5000',
    PROCESSOR_MAX_RUN_SIZE: '1000',
  };
  const processor = await startService(processorService, { env: processorEnvironment, logger: silentLogger });
  const analytics = await startAnalytics(
    analyticsTestEnv(harness.name, iotServiceEnv(infra, harness.name, harness.database.url, lakeDir)),
  );
  const device = await mqtt.connectAsync(harness.mqttUrl, { protocolVersion: 5 });
  return {
    harness,
    hub,
    processor,
    settings: processorSettings(loadConfig(processorEnv, processorEnvironment)),
    lakeDir,
    lake: analytics.lake,
    feed: analytics.feed,
    analytics: analytics.app,
    analyticsUrl: analytics.service.address,
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
      await analytics.service.stop();
      await processor.stop();
      await harness.close();
      await rm(lakeDir, { recursive: true, force: true });
    },
  };
}
