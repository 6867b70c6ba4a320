// The generator's live mode against the real gateway (real Kafka and Redis behind it): every payment
// sent arrives on the payments topic once, at the configured concurrency, and the sender stops cleanly.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LabelledPayment } from '../src/generator/draft.ts';
import { GeneratorSettingsError } from '../src/generator/errors.ts';
import { createLiveSender } from '../src/generator/live-sender.ts';
import { liveStream } from '../src/generator/live-stream.ts';
import { type GatewayHarness, startGatewayHarness, testApiKey } from './support/gateway-harness.ts';

let h: GatewayHarness;
let url: string;

beforeAll(async () => {
  h = await startGatewayHarness();
  url = h.gateway.address;
});

afterAll(async () => {
  await h?.close();
});

const stream = () =>
  liveStream({ seed: 5, cards: 50, startMs: Date.now(), fraudPerCardDay: 0.2, warmupMs: 0, clock: Date.now });

describe('live mode', () => {
  it('posts a bounded number of payments, each accepted and produced exactly once', async () => {
    const logs: string[] = [];
    const sender = createLiveSender(
      { gatewayUrl: url, apiKey: testApiKey, ratePerSecond: 400, maxInFlight: 4, maxPayments: 60 },
      { fetch, log: (line) => logs.push(line) },
    );
    const expected: LabelledPayment[] = [];
    const source = stream();
    const recording: Iterator<LabelledPayment> = {
      next: () => {
        const n = source.next();
        if (!n.done) expected.push(n.value);
        return n;
      },
    };
    const stats = await sender.run(recording);
    expect(logs).toEqual([]);
    expect(stats).toMatchObject({ sent: 60, accepted: 60, rejected: 0, failed: 0, inFlight: 0 });

    await expect
      .poll(async () => (await h.admin.readTopic(h.topics.payments.name)).length, { timeout: 15_000 })
      .toBe(60);
    const records = await h.admin.readTopic(h.topics.payments.name);
    const ids = records.map((r) => JSON.parse(r.value ?? '{}').paymentId);
    expect(new Set(ids)).toEqual(new Set(expected.map((p) => p.payment.paymentId)));
  });

  it('counts a refused payment as rejected (wrong API key) without retrying it', async () => {
    const logs: string[] = [];
    const sender = createLiveSender(
      {
        gatewayUrl: url,
        apiKey: 'not-the-key-0123456789',
        ratePerSecond: 100,
        maxInFlight: 2,
        maxPayments: 3,
      },
      { fetch, log: (line) => logs.push(line) },
    );
    const stats = await sender.run(stream());
    expect(stats).toMatchObject({ sent: 3, accepted: 0, rejected: 3, retries: 0 });
    expect(logs[0]).toMatch(/rejected: gateway answered 401/);
  });

  it('stop() ends an endless run and waits for the requests in flight', async () => {
    const sender = createLiveSender(
      { gatewayUrl: url, apiKey: testApiKey, ratePerSecond: 50, maxInFlight: 2 },
      { fetch, log: () => undefined },
    );
    const run = sender.run(stream());
    await expect.poll(() => sender.stats.accepted, { timeout: 10_000 }).toBeGreaterThanOrEqual(3);
    sender.stop();
    const stats = await run;
    expect(stats.inFlight).toBe(0);
    expect(stats.accepted + stats.failed + stats.rejected).toBe(stats.sent);
  });

  it('rejects nonsense settings', () => {
    expect(() =>
      createLiveSender(
        { gatewayUrl: 'ftp://x', apiKey: 'k', ratePerSecond: 0, maxInFlight: 0 },
        { fetch, log: () => undefined },
      ),
    ).toThrow(GeneratorSettingsError);
  });
});
