// Smoke test of `pnpm loadgen iot-lake`: MQTT → hub → Kafka → processor → Parquet lake, every reading
// found in the lake through DuckDB exactly once.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { allCompleted, outcomeOf, runInRealTime } from '@streamkit/loadgen';
import { type RunningService, silentLogger, startService } from '@streamkit/runtime';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { iotLakeScenario } from '../src/loadgen/iot-lake-scenario.ts';
import { processorService } from '../src/processor/service.ts';
import { processorTestEnv } from './processor.harness.ts';
import { createHubHarness, type HubHarness, loadgenAdminKey } from './support/hub-harness.ts';

const infra = inject('infrastructure');
let harness: HubHarness;
let hubUrl: string;
let processor: RunningService<unknown, unknown>;
let lakeDir: string;

beforeAll(async () => {
  harness = await createHubHarness('iot-lake-loadgen');
  // the key the scenario sends
  const hub = await harness.startInstance({ adminKey: loadgenAdminKey() });
  hubUrl = hub.address;
  lakeDir = await mkdtemp(join(tmpdir(), `${harness.name}-lake-`));
  processor = await startService(processorService, {
    env: {
      ...processorTestEnv(infra, harness.name, harness.database.url, lakeDir),
      PROCESSOR_TRIGGER_INTERVAL_MS: '500',
      PROCESSOR_TRIGGER_MAX_RECORDS: '10000',
      PROCESSOR_MAX_RUN_SIZE: '1000',
    },
    logger: silentLogger,
  });
});

afterAll(async () => {
  await processor?.stop();
  await harness?.close();
  if (lakeDir !== undefined) await rm(lakeDir, { recursive: true, force: true });
});

describe('loadgen scenario iot-lake', () => {
  it('completes every reading once it is queryable in the lake', async () => {
    const result = await runInRealTime({
      scenario: iotLakeScenario,
      options: {
        'hub-url': hubUrl,
        'lake-dir': lakeDir,
        'mqtt-topic-prefix': `${harness.name}/`,
        devices: 20,
        'max-unacked': 100,
        'poll-ms': 20,
        publishers: 1,
      },
      settings: { rate: 100, durationS: 2, warmupS: 0, maxInFlight: 1000, drainS: 60 },
      environment: { ...infra, kafkaClientId: 'loadgen-lake-smoke' },
    });
    expect(outcomeOf(result.measured.counts)).toEqual(allCompleted(200));
  });
});
