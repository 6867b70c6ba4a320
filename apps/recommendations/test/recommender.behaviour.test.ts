import type { UserEvent } from '@streamkit/schemas';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CachedRecommendations } from '../src/common/redis-keys.ts';
import { defaultModel } from '../src/domain/model.ts';
import type { Recommender } from '../src/recommender/recommender.ts';
import { recommenderService } from '../src/recommender/service.ts';
import { catalogHistory, useFeaturesEnv, userEvent } from './features.harness.ts';

const env = useFeaturesEnv('recs-rank');
let recommender: Recommender;
const START = Date.UTC(2026, 2, 3);
let clock = START + 6 * 3_600_000;

beforeAll(async () => {
  // background shoppers: popularity and co-occurrence to draw candidates from
  const history = catalogHistory({ seed: 5, users: 60, userPrefix: 'bg-', startMs: START, hours: 6 });
  await env().producer.send(
    env().topics.events,
    history.map((value) => ({ value })),
  );
  await env().startWorker();
  const service = await env().start(recommenderService, {
    RECOMMENDER_BATCH_SIZE: '50',
    RECOMMENDER_TOP_N: '10',
    RECOMMENDER_RECS_TTL_SECONDS: '600',
    RECOMMENDER_SIGNALS_REFRESH_MS: '50',
    RECOMMENDER_MODEL_POLL_INTERVAL_MS: '100',
    RECOMMENDER_IDLE_POLL_MS: '50',
  });
  recommender = service.parts?.recommender as Recommender;
});

let n = 0;
async function send(userId: string, productId: string, type: UserEvent['type'] = 'view'): Promise<void> {
  clock += 30_000;
  await env().producer.send(env().topics.events, [
    { value: userEvent({ eventId: `rb-${n++}`, userId, productId, type, sessionId: `${userId}-s` }, clock) },
  ]);
}

async function recsOf(userId: string): Promise<CachedRecommendations | undefined> {
  const raw = await env().redis.get(env().keys.recs(userId));
  return raw === null ? undefined : (JSON.parse(raw) as CachedRecommendations);
}

function shareIn(recs: CachedRecommendations | undefined, categoryId: string): number {
  if (recs === undefined || recs.items.length === 0) return 0;
  return (
    recs.items.filter((i) => env().catalog.categoryOf(i.productId) === categoryId).length / recs.items.length
  );
}

describe('recommender', () => {
  it('shifts a user to a category after views of it, and drops what they bought', async () => {
    const categories = [
      ...new Set(['p-000000', 'p-000001', 'p-000002'].map((p) => env().catalog.categoryOf(p) as string)),
    ];
    const [first, second] = categories as [string, string];
    const inFirst = env()
      .catalog.productsIn(first)
      .filter((p) => env().catalog.inStock(p));
    const inSecond = env()
      .catalog.productsIn(second)
      .filter((p) => env().catalog.inStock(p));
    for (const p of inFirst.slice(0, 3)) await send('shopper-1', p);
    await expect
      .poll(async () => shareIn(await recsOf('shopper-1'), first), { timeout: 30_000, interval: 50 })
      .toBeGreaterThanOrEqual(0.6);

    for (const p of inSecond.slice(0, 8)) await send('shopper-1', p);
    await expect
      .poll(async () => shareIn(await recsOf('shopper-1'), second), { timeout: 30_000, interval: 50 })
      .toBeGreaterThanOrEqual(0.6);

    const recs = (await recsOf('shopper-1')) as CachedRecommendations;
    const bought = recs.items[0]?.productId as string;
    expect(recs.modelVersion).toBe(recommender.modelVersion());
    await send('shopper-1', bought, 'add_to_cart');
    await send('shopper-1', bought, 'purchase');
    await expect
      .poll(async () => (await recsOf('shopper-1'))?.items.map((i) => i.productId), {
        timeout: 30_000,
        interval: 50,
      })
      .not.toContain(bought);
    // every recommended product is in stock, and the list is still full
    const after = (await recsOf('shopper-1')) as CachedRecommendations;
    expect(after.items).toHaveLength(10);
    for (const item of after.items) expect(env().catalog.inStock(item.productId), item.productId).toBe(true);
    // trending for unknown users is kept fresh
    const trending = JSON.parse(
      (await env().redis.get(env().keys.trending())) ?? 'null',
    ) as CachedRecommendations;
    expect(trending.items.length).toBeGreaterThan(0);
  });

  it('picks up a new model version without restart', async () => {
    const model = { ...defaultModel(), version: 'test-v2', weights: [2, 3, 0.1, 0.2] };
    await env().pool.query(
      `INSERT INTO recs_models (version, model, evaluation, trained_on) VALUES ($1, $2, '{}', '{}')`,
      [model.version, JSON.stringify(model)],
    );
    await expect
      .poll(() => env().redis.get(env().keys.modelVersion()), { timeout: 30_000, interval: 50 })
      .toBe('test-v2');
    await send(
      'shopper-2',
      env().catalog.productsIn(env().catalog.categoryOf('p-000003') as string)[0] as string,
    );
    await expect
      .poll(async () => (await recsOf('shopper-2'))?.modelVersion, { timeout: 30_000, interval: 50 })
      .toBe('test-v2');
  });
});
