// The fuzzer at POST /events (a trusted sender's key): schema-generated events and batches, their
// mutations, raw bodies. Never a 5xx, every refusal a 4xx in the common body (a 400 naming the
// field), nothing invalid on ecommerce.events. FUZZ_RUNS inputs (`pnpm fuzz` runs the long round).
import { userEventValidator } from '@streamkit/schemas';
import {
  arbitraryOf,
  fc,
  finishFuzzRound,
  fuzzIngress,
  type JsonSchema,
  mutationsOf,
  rawBodiesOf,
} from '@streamkit/testkit/fuzz';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { productId } from '../src/catalog/generate.ts';
import { postEvents, startWebHarness, testCatalog, type WebHarness } from './support/web-harness.ts';

let h: WebHarness;

beforeAll(async () => {
  h = await startWebHarness({ WEB_MAX_BATCH_SIZE: '10' });
});
afterAll(async () => {
  await h?.close();
});

// the web refuses products not in the catalog (400 naming productId): most generated events name
// one of the test catalog's products, so valid ones get through and mutations start from them
const catalogIds = Array.from({ length: testCatalog.products }, (_, i) => productId(i));
const event = arbitraryOf(userEventValidator.schema as JsonSchema).chain((e) =>
  typeof e === 'object' && e !== null && 'productId' in e
    ? fc.oneof(
        { weight: 4, arbitrary: fc.constantFrom(...catalogIds).map((id) => ({ ...e, productId: id })) },
        { weight: 1, arbitrary: fc.constant(e) },
      )
    : fc.constant(e),
);
const body = fc.oneof(event, fc.array(event, { minLength: 1, maxLength: 12 }));

describe('fuzz: POST /events', () => {
  it('answers every generated or mutated event or batch with 202 or a 4xx naming the field; the topic holds only valid events', async () => {
    const inputs = fc.oneof(
      body.map((b) => JSON.stringify(b)),
      mutationsOf(body).map((b) => JSON.stringify(b) ?? ''),
      rawBodiesOf(body),
    );
    const figures = await fuzzIngress(
      'recs POST /events',
      inputs,
      async (payload) => {
        const res = await postEvents(h.app, payload);
        return { status: res.statusCode, body: res.body };
      },
      { accepted: [202], otherRejections: [413] },
    );
    const records = await h.admin.readTopic(h.topics.events.name);
    expect(finishFuzzRound(figures, records, (v) => userEventValidator.validate(v))).toEqual([]);
    expect(figures.accepted).toBeGreaterThan(0);
    expect((await h.app.inject({ url: '/health' })).statusCode).toBe(200);
  });
});
