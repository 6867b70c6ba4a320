// The fuzzer at POST /payments: schema-generated and mutated payments, raw bodies. Never a 5xx,
// every refusal a 4xx in the common body (a 400 naming the field), nothing invalid on the topic.
// FUZZ_RUNS inputs (`pnpm fuzz` runs the long round).
import { paymentValidator } from '@streamkit/schemas';
import {
  arbitraryOf,
  type FuzzFigures,
  fc,
  finishFuzzRound,
  fuzzIngress,
  type JsonSchema,
  mutationsOf,
  rawBodiesOf,
} from '@streamkit/testkit/fuzz';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GatewayHarness, postPayment, startGatewayHarness } from './support/gateway-harness.ts';

let h: GatewayHarness;

beforeAll(async () => {
  h = await startGatewayHarness();
});
afterAll(async () => {
  await h?.close();
});

const payments = arbitraryOf(paymentValidator.schema as JsonSchema);

describe('fuzz: POST /payments', () => {
  it('answers every generated or mutated payment with 202 or a 4xx naming the field; the topic holds only valid payments', async () => {
    const inputs = fc.oneof(
      payments.map((p) => ({ json: p })),
      mutationsOf(payments).map((p) => ({ json: p })),
      rawBodiesOf(payments).map((raw) => ({ raw })),
    );
    const figures: FuzzFigures = await fuzzIngress(
      'gateway POST /payments',
      inputs,
      async (input) => {
        const res = await postPayment(h.app, 'raw' in input ? input.raw : JSON.stringify(input.json));
        return { status: res.statusCode, body: res.body };
      },
      // 409: a generated paymentId used again with other content; 413: a body past the limit
      { accepted: [202], otherRejections: [409, 413] },
    );
    const records = await h.admin.readTopic(h.topics.payments.name);
    expect(finishFuzzRound(figures, records, (v) => paymentValidator.validate(v))).toEqual([]);
    expect(records.length).toBeGreaterThanOrEqual(figures.accepted > 0 ? 1 : 0);
    expect(figures.serverErrors).toBe(0);
    expect((await h.app.inject({ url: '/health' })).statusCode).toBe(200);
  });
});
