// Smoke test of `pnpm loadgen iot`: the scenario drives a real hub and sees every reading on Kafka.
import { env, loadConfig } from '@streamkit/config';
import { createIntervalTicker, createMonotonicClock, runLoad } from '@streamkit/loadgen';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { demoHubAdminKey } from '../src/demo.ts';
import { iotScenario } from '../src/loadgen/iot-scenario.ts';
import { createHubHarness, type HubHarness } from './support/hub-harness.ts';

const infra = inject('infrastructure');
let harness: HubHarness;
let hubUrl: string;

beforeAll(async () => {
  harness = await createHubHarness('hub-loadgen');
  // the scenario takes its key from HUB_ADMIN_KEY, else the demo's: the hub uses the same
  const { adminKey } = loadConfig({ adminKey: env.secret('HUB_ADMIN_KEY', { optional: true }) });
  const hub = await harness.startInstance({ adminKey: adminKey ?? demoHubAdminKey });
  hubUrl = hub.address;
});

afterAll(async () => {
  await harness?.close();
});

describe('loadgen scenario iot', () => {
  it('publishes at the offered rate and completes every reading when it reaches Kafka', async () => {
    const result = await runLoad(
      {
        scenario: iotScenario,
        options: {
          'hub-url': hubUrl,
          'topic-prefix': `${harness.name}.`,
          'mqtt-topic-prefix': `${harness.name}/`,
          devices: 20,
          'max-unacked': 100,
          publishers: 1,
        },
        settings: { rate: 100, durationS: 2, warmupS: 0, maxInFlight: 1000, drainS: 30 },
        environment: { ...infra, kafkaClientId: 'loadgen-smoke' },
      },
      { clock: createMonotonicClock(), ticker: createIntervalTicker() },
    );
    const counts = result.measured.counts;
    expect(counts.sent).toBe(200);
    expect(counts.errors).toEqual({});
    expect(counts.completed).toBe(200);
    expect(counts.lost).toBe(0);
    expect(counts.duplicates).toBe(0);
    expect((await harness.registry.list({ limit: 100 })).length).toBe(20);
  });

  it('forks publisher processes that share the operations, every reading completed once', async () => {
    const logs: string[] = [];
    const result = await runLoad(
      {
        scenario: iotScenario,
        options: {
          'hub-url': hubUrl,
          'topic-prefix': `${harness.name}.`,
          'mqtt-topic-prefix': `${harness.name}/`,
          devices: 20,
          'max-unacked': 100,
          publishers: 2,
        },
        settings: { rate: 100, durationS: 2, warmupS: 0, maxInFlight: 1000, drainS: 30 },
        environment: { ...infra, kafkaClientId: 'loadgen-smoke' },
      },
      { clock: createMonotonicClock(), ticker: createIntervalTicker(), log: (line) => logs.push(line) },
    );
    const counts = result.measured.counts;
    expect(counts.sent).toBe(200);
    expect(counts.errors).toEqual({});
    expect(counts.completed).toBe(200);
    expect(counts.lost).toBe(0);
    expect(counts.duplicates).toBe(0);
    // the workers' own counts and CPU, merged at close
    expect(logs.join('\n')).toMatch(/publishers: 2 processes published 200 readings with \d+ ms CPU/);
  });
});
