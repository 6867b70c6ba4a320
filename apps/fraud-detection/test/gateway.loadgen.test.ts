// Smoke test of `pnpm loadgen fraud`: the scenario drives a real gateway + detector and sees every decision.
import { secretOrDemoDefault } from '@streamkit/demo';
import { allCompleted, outcomeOf, runInRealTime } from '@streamkit/loadgen';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { demoGatewayApiKey } from '../src/demo.ts';
import { fraudScenario } from '../src/loadgen/fraud-scenario.ts';
import { createDetectorTestEnv, type DetectorTestEnv } from './detector.harness.ts';
import { startTestGateway, type TestGateway } from './support/gateway-harness.ts';

const infra = inject('infrastructure');
/** The key the scenario sends (GATEWAY_API_KEY, else the demo's): the gateways under test take it. */
const scenarioApiKey = () => secretOrDemoDefault('GATEWAY_API_KEY', demoGatewayApiKey);
let detectorEnv: DetectorTestEnv;
let gateway: TestGateway;
let gatewayUrl: string;

beforeAll(async () => {
  detectorEnv = await createDetectorTestEnv(infra, 'lg');
  await detectorEnv.startDetector();
  gateway = await startTestGateway(detectorEnv, { GATEWAY_API_KEY: scenarioApiKey() });
  gatewayUrl = gateway.address;
});

afterAll(async () => {
  await gateway?.stop();
  await detectorEnv?.close();
});

describe('loadgen scenario fraud', () => {
  it.each(['answer', 'topic'])(
    'posts at the offered rate and completes every payment when its decision appears (decisions: %s)',
    async (decisions) => {
      const result = await runInRealTime({
        scenario: fraudScenario,
        options: {
          decisions,
          'wait-ms': 10_000,
          'gateway-url': gatewayUrl,
          'topic-prefix': `${detectorEnv.name}.`,
          cards: 40,
          seed: 7,
          connections: 8,
          'request-timeout-ms': 10_000,
          'retry-for-ms': 60_000,
        },
        settings: { rate: 50, durationS: 2, warmupS: 0, maxInFlight: 1000, drainS: 60 },
        environment: { ...infra, kafkaClientId: `loadgen-smoke-${decisions}` },
      });
      expect(outcomeOf(result.measured.counts)).toEqual(allCompleted(100));
      expect(result.measured.counts.completedAfterRetry).toBe(0);
    },
  );

  it('retries a 503 (outcome unknown) with the same paymentId: each decision counts once, as completed after retry', async () => {
    // the gateway waits 50 ms for an ack the producer holds 400 ms: every POST is answered 503 while
    // its event still reaches Kafka and is decided — the case the 503 contract is about
    const slowAck = await startTestGateway(detectorEnv, {
      GATEWAY_API_KEY: scenarioApiKey(),
      GATEWAY_PRODUCER_LINGER_MS: '400',
      GATEWAY_PRODUCE_TIMEOUT_MS: '50',
    });
    try {
      const result = await runInRealTime({
        scenario: fraudScenario,
        options: {
          decisions: 'answer',
          'wait-ms': 10_000,
          'gateway-url': slowAck.address,
          'topic-prefix': `${detectorEnv.name}.`,
          cards: 10,
          seed: 8,
          connections: 4,
          'request-timeout-ms': 10_000,
          'retry-for-ms': 60_000,
        },
        settings: { rate: 10, durationS: 2, warmupS: 0, maxInFlight: 1000, drainS: 60 },
        environment: { ...infra, kafkaClientId: 'loadgen-503' },
      });
      expect(outcomeOf(result.measured.counts)).toEqual(allCompleted(20));
      expect(result.measured.counts.completedAfterRetry).toBeGreaterThan(0);
      expect(result.measured.counts.completedAfterRetry).toBeLessThanOrEqual(20);
    } finally {
      await slowAck.stop();
    }
  });
});
