// Redis down under the detector (a redis-server of this file's own, stopped and started again; the
// shared one is never touched): payments wait, their transactions are aborted and retried, nothing is
// dead-lettered, and every payment gets exactly one decision once Redis is back.
import { outageCheck } from '@streamkit/kafka';
import { runHealthChecks } from '@streamkit/runtime';
import { type PrivateRedis, sampleValue, startPrivateRedis, waitFor } from '@streamkit/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { at, type Collected, type PaymentDecision, payment, useDetectorEnv } from './detector.harness.ts';

let redisServer: PrivateRedis;
let decisions: Collected<PaymentDecision>;

beforeAll(async () => {
  redisServer = await startPrivateRedis();
});
afterAll(async () => {
  await redisServer?.stop();
});
// registered after the Redis hooks: its detector stops before that Redis does
const env = useDetectorEnv('det-outage');

describe('detector while its Redis is down', () => {
  it('waits (degraded, counted), dead-letters nothing, and decides every payment exactly once after', async () => {
    const { detector, registry } = await env().startDetector({ REDIS_URL: redisServer.url });
    decisions = await env().collect(env().topics.decisions);
    const payments = Array.from({ length: 30 }, (_, i) =>
      payment({ paymentId: `outage-${i}`, cardId: `card-${i % 6}`, ts: at(i * 1000) }),
    );
    await redisServer.stop();
    try {
      await env().producer.send(
        env().topics.payments,
        payments.map((value) => ({ value })),
      );
      await expect.poll(() => detector.outage()?.reason, { timeout: 60_000 }).toBe('redis:connection');
      const report = await runHealthChecks({ consumer: outageCheck(detector) }, 1000);
      expect(report.checks.consumer?.error).toMatch(
        /^waiting on infrastructure since .*: redis:connection: /,
      );
      const metrics = await registry.metrics();
      expect(
        sampleValue(metrics, 'streamkit_consumer_transient_failures_total', {
          topic: env().topics.payments.name,
          reason: 'redis:connection',
        }),
      ).toBeGreaterThan(0);
      expect(decisions.values).toEqual([]);
    } finally {
      await redisServer.start();
    }

    await expect.poll(() => decisions.values.length, { timeout: 60_000 }).toBe(payments.length);
    // everything consumed and committed: no decision can still arrive twice
    await waitFor(
      async () => {
        const ends = await env().admin.endOffsets(env().topics.payments.name);
        const committed = await env().admin.committedOffsets(
          `${env().name}-detector`,
          env().topics.payments.name,
        );
        return [...ends].every(([p, end]) => end === 0 || committed.get(p) === end);
      },
      { timeoutMs: 30_000, message: 'the detector committed every payment' },
    );
    expect(decisions.values).toHaveLength(payments.length);
    expect(new Set(decisions.values.map((d) => d.paymentId)).size).toBe(payments.length);
    expect(detector.outage()).toBeUndefined();
    expect(await env().admin.readTopic(`${env().topics.payments.name}.dlq`)).toEqual([]);
  });
});
