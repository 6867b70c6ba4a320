// When Kafka cannot take more the gateway sheds load with 503 + Retry-After, and loses nothing it accepted.
import { afterEach, describe, expect, it } from 'vitest';
import {
  type GatewayHarness,
  postPayment,
  samplePayment,
  startGatewayHarness,
} from './support/gateway-harness.ts';

let h: GatewayHarness | undefined;

afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('backpressure', () => {
  it('answers 503 + Retry-After when the producer buffer is full; a retry is accepted later', async () => {
    // one message may be buffered, and it waits 300 ms for company: every other POST meanwhile is refused
    const gw = await startGatewayHarness({
      GATEWAY_PRODUCER_MAX_BUFFERED: '1',
      GATEWAY_PRODUCER_LINGER_MS: '300',
    });
    h = gw;
    const payments = Array.from({ length: 8 }, () => samplePayment({ cardId: 'card-bp' }));
    const answers = await Promise.all(payments.map((p) => postPayment(gw.app, p)));
    const codes = answers.map((a) => a.statusCode);
    expect(codes.filter((c) => c === 202).length).toBeGreaterThanOrEqual(1);
    const refused = answers.flatMap((a, i) => (a.statusCode === 503 ? [payments[i]] : []));
    expect(refused.length).toBeGreaterThanOrEqual(1);
    expect(codes.every((c) => c === 202 || c === 503)).toBe(true);
    for (const a of answers.filter((x) => x.statusCode === 503)) {
      expect(Number(a.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      expect(a.json().error).toBe('unavailable');
    }

    // the refusal released the idempotency claim: retrying one at a time succeeds
    for (const payment of refused) expect((await postPayment(gw.app, payment)).statusCode).toBe(202);
    const records = await gw.admin.readTopic(gw.topics.payments.name);
    const ids = records.map((r) => JSON.parse(r.value ?? '{}').paymentId).sort();
    expect(ids).toEqual(payments.map((p) => p.paymentId).sort());
  });

  it('answers 503 when the broker ack takes too long, then settles the payment exactly once', async () => {
    // the producer holds the message 400 ms (linger) while the gateway waits only 50 ms for the ack
    const gw = await startGatewayHarness({
      GATEWAY_PRODUCER_LINGER_MS: '400',
      GATEWAY_PRODUCE_TIMEOUT_MS: '50',
    });
    h = gw;
    const payment = samplePayment();
    const slow = await postPayment(gw.app, payment);
    expect(slow.statusCode).toBe(503);
    expect(slow.headers['retry-after']).toBe('1');

    // while the first produce is still under way, a retry must not produce a second event
    const early = await postPayment(gw.app, payment);
    expect(early.statusCode).toBe(409);
    // once the ack came the claim is recorded as accepted and the retry is a 202 duplicate
    await expect
      .poll(async () => (await postPayment(gw.app, payment)).statusCode, { timeout: 10_000 })
      .toBe(202);
    const records = await gw.admin.readTopic(gw.topics.payments.name);
    expect(records.filter((r) => JSON.parse(r.value ?? '{}').paymentId === payment.paymentId)).toHaveLength(
      1,
    );
  });
});
