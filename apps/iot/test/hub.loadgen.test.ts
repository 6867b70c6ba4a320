// Smoke test of `pnpm loadgen iot`: the scenario drives a real hub and sees every reading on Kafka.
import { allCompleted, outcomeOf, runInRealTime } from '@streamkit/loadgen';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { iotScenario } from '../src/loadgen/iot-scenario.ts';
import { createHubHarness, type HubHarness, loadgenAdminKey } from './support/hub-harness.ts';

const infra = inject('infrastructure');
let harness: HubHarness;
let hubUrl: string;

beforeAll(async () => {
  harness = await createHubHarness('hub-loadgen');
  // the key the scenario sends
  const hub = await harness.startInstance({ adminKey: loadgenAdminKey() });
  hubUrl = hub.address;
});

afterAll(async () => {
  await harness?.close();
});

/** 200 readings from 20 devices at 100/s, through `publishers` processes, on this file's hub and topics. */
function runIotScenario(publishers: number, log?: (line: string) => void) {
  return runInRealTime(
    {
      scenario: iotScenario,
      options: {
        'hub-url': hubUrl,
        'topic-prefix': `${harness.name}.`,
        'mqtt-topic-prefix': `${harness.name}/`,
        devices: 20,
        'max-unacked': 100,
        publishers,
      },
      settings: { rate: 100, durationS: 2, warmupS: 0, maxInFlight: 1000, drainS: 30 },
      environment: { ...infra, kafkaClientId: 'loadgen-smoke' },
    },
    log === undefined ? {} : { log },
  );
}

describe('loadgen scenario iot', () => {
  it('publishes at the offered rate and completes every reading when it reaches Kafka', async () => {
    const result = await runIotScenario(1);
    expect(outcomeOf(result.measured.counts)).toEqual(allCompleted(200));
    expect((await harness.registry.list({ limit: 100 })).length).toBe(20);
  });

  it('forks publisher processes that share the operations, every reading completed once', async () => {
    const logs: string[] = [];
    const result = await runIotScenario(2, (line) => logs.push(line));
    expect(outcomeOf(result.measured.counts)).toEqual(allCompleted(200));
    // the workers' own counts and CPU, merged at close
    expect(logs.join('\n')).toMatch(/publishers: 2 processes published 200 readings with \d+ ms CPU/);
  });
});
