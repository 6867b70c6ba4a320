// Smoke test of `pnpm loadgen iot-lake`: MQTT → hub → Kafka → processor → Parquet lake, every reading
// found in the lake through DuckDB exactly once.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { env, loadConfig } from '@streamkit/config';
import { createIntervalTicker, createMonotonicClock, runLoad } from '@streamkit/loadgen';
import { silentLogger } from '@streamkit/runtime';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { demoHubAdminKey } from '../src/demo.ts';
import { iotLakeScenario } from '../src/loadgen/iot-lake-scenario.ts';
import { defaultAnomalySettings } from '../src/processor/anomaly.ts';
import { createProcessor, type Processor } from '../src/processor/processor.ts';
import { createHubHarness, type HubHarness } from './support/hub-harness.ts';

const infra = inject('infrastructure');
let harness: HubHarness;
let hubUrl: string;
let processor: Processor;
let lakeDir: string;

beforeAll(async () => {
  harness = await createHubHarness('iot-lake-loadgen');
  const { adminKey } = loadConfig({ adminKey: env.secret('HUB_ADMIN_KEY', { optional: true }) });
  const hub = await harness.startInstance({ adminKey: adminKey ?? demoHubAdminKey });
  hubUrl = await hub.app.listen({ port: 0, host: '127.0.0.1' });
  lakeDir = await mkdtemp(join(tmpdir(), `${harness.name}-lake-`));
  processor = createProcessor({
    kafka: harness.kafka,
    pool: harness.pool,
    topics: harness.topics,
    lakeDir,
    settings: {
      groupId: `${harness.name}-processor`,
      trigger: { intervalMs: 500, maxRecords: 10_000 },
      windowMs: 60_000,
      allowedLatenessMs: 60_000,
      anomaly: defaultAnomalySettings,
      maxRunSize: 1000,
      partitionsConsumedConcurrently: 3,
      sessionTimeoutMs: 10_000,
    },
    logger: silentLogger,
  });
  await processor.start();
});

afterAll(async () => {
  await processor?.stop();
  await harness?.close();
  if (lakeDir !== undefined) await rm(lakeDir, { recursive: true, force: true });
});

describe('loadgen scenario iot-lake', () => {
  it('completes every reading once it is queryable in the lake', async () => {
    const result = await runLoad(
      {
        scenario: iotLakeScenario,
        options: {
          'hub-url': hubUrl,
          'lake-dir': lakeDir,
          'mqtt-topic-prefix': `${harness.name}/`,
          devices: 20,
          'max-unacked': 100,
          'poll-ms': 20,
        },
        settings: { rate: 100, durationS: 2, warmupS: 0, maxInFlight: 1000, drainS: 60 },
        environment: { ...infra, kafkaClientId: 'loadgen-lake-smoke' },
      },
      { clock: createMonotonicClock(), ticker: createIntervalTicker() },
    );
    const counts = result.measured.counts;
    expect(counts.sent).toBe(200);
    expect(counts.errors).toEqual({});
    expect(counts.completed).toBe(200);
    expect(counts.lost).toBe(0);
    expect(counts.duplicates).toBe(0);
  });
});
