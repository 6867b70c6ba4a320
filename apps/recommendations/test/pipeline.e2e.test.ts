// The whole pipeline on real Kafka, Redis and Postgres: web → ecommerce.events → features worker →
// online store → recommender → cache → web. Bounded waits on conditions, never sleeps.
import { waitFor } from '@streamkit/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readUserFeatures } from '../src/features/online-read.ts';
import {
  crowdEvents,
  type PipelineHarness,
  sessionEvents,
  shareIn,
  startPipelineHarness,
} from './support/pipeline-harness.ts';
import { openSession, postEvents, sampleEvent } from './support/web-harness.ts';

const WAIT = { timeout: 30_000, interval: 100 };
const BOOKS = 'c-books';
const TOYS = 'c-toys';

let h: PipelineHarness;

beforeAll(async () => {
  h = await startPipelineHarness('recs-e2e');
  await h.post(crowdEvents(h, [BOOKS, TOYS, 'c-garden', 'c-kitchen']));
  // the crowd has been counted once trending (the unknown users' fallback) lists something
  await waitFor(async () => (await h.recommendations('u-nobody-yet')).items.length > 0, {
    timeoutMs: 30_000,
  });
});

afterAll(async () => {
  await h?.close();
});

describe('recommendations follow what a shopper does', () => {
  const user = 'e2e-shopper';

  it('shift to a category after its items are viewed, and to another one after that', async () => {
    const first = await openSession(h.app, user);
    const books = h.productsIn(BOOKS).slice(10, 15);
    const res = await postEvents(h.app, sessionEvents(user, first.sessionId, books), first.headers);
    expect(res.statusCode).toBe(202);
    await expect
      .poll(async () => {
        const body = await h.recommendations(user);
        return body.source === 'personal' ? shareIn(h, body, BOOKS) : 0;
      }, WAIT)
      .toBeGreaterThanOrEqual(0.6);

    const second = await openSession(h.app, user);
    const toys = h.productsIn(TOYS).slice(10, 20);
    await postEvents(h.app, sessionEvents(user, second.sessionId, toys), second.headers);
    await expect
      .poll(async () => shareIn(h, await h.recommendations(user), TOYS), WAIT)
      .toBeGreaterThanOrEqual(0.6);
  });

  it('drop an item once it is purchased', async () => {
    const before = await h.recommendations(user);
    const bought = before.items[0]?.productId;
    expect(bought).toBeDefined();
    const session = await openSession(h.app, user);
    await postEvents(
      h.app,
      sessionEvents(user, session.sessionId, [bought as string], 'purchase'),
      session.headers,
    );
    await expect
      .poll(async () => (await h.recommendations(user)).items.map((i) => i.productId), WAIT)
      .not.toContain(bought);
    expect((await h.recommendations(user)).items.length).toBeGreaterThan(0);
  });
});

describe('unknown users and bad input', () => {
  it('gives an unknown user the trending fallback', async () => {
    const body = await h.recommendations('never-seen-before');
    expect(body.source).toBe('fallback');
    expect(body.userId).toBe('never-seen-before');
    expect(body.items.length).toBeGreaterThan(0);
  });

  it('rejects bad events with 400, and none of them reaches Kafka or the features', async () => {
    const user = 'e2e-careful';
    const bad = [
      { ...sampleEvent({ userId: user }), type: 'wishlist' },
      { ...sampleEvent({ userId: user }), productId: '' },
      { ...sampleEvent({ userId: user }), ts: 'not a time' },
    ];
    for (const event of bad) expect((await postEvents(h.app, event)).statusCode).toBe(400);
    // one good event after them: once it is counted, anything sent before it would have been too
    const good = sampleEvent({
      userId: user,
      sessionId: `${user}-s`,
      productId: h.productsIn(BOOKS)[0] as string,
    });
    expect((await postEvents(h.app, good)).statusCode).toBe(202);
    await expect
      .poll(async () => (await readUserFeatures(h.env.redis, h.env.keys, [user]))[0]?.events ?? 0, WAIT)
      .toBe(1);
    const onTopic = (await h.env.admin.readTopic(h.env.topics.events.name)).filter((r) => r.key === user);
    expect(onTopic.map((r) => JSON.parse(r.value ?? 'null'))).toEqual([good]);
    const dlq = await h.env.admin.readTopic(`${h.env.topics.events.name}.dlq`);
    expect(dlq.filter((r) => r.key === user)).toEqual([]);
  });
});
