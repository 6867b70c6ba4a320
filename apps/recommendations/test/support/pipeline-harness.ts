// The whole pipeline in-process for one test file: R1's features worker and recommender on the
// features test environment (own topics, keys, database), and the web service in front of them.

import { silentLogger } from '@streamkit/runtime';
import type { UserEvent } from '@streamkit/schemas';
import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import { inject } from 'vitest';
import { createRecommender } from '../../src/recommender/recommender.ts';
import { validateRecommenderSettings } from '../../src/recommender/settings.ts';
import { createFeaturesTestEnv, type FeaturesTestEnv } from '../features.harness.ts';
import { createTestWeb, postEvents } from './web-harness.ts';

export interface PipelineHarness {
  readonly env: FeaturesTestEnv;
  readonly app: FastifyInstance;
  /** The web service listening on 127.0.0.1 (for the browser). */
  readonly baseUrl: string;
  /** Product ids of a category, in catalog order. */
  productsIn(categoryId: string): readonly string[];
  categoryOf(productId: string): string | undefined;
  recommendations(userId: string): Promise<RecommendationsBody>;
  /** Posts events as a trusted sender (x-api-key); expects 202. */
  post(events: readonly UserEvent[]): Promise<void>;
  close(): Promise<void>;
}

export interface RecommendationsBody {
  userId: string;
  items: { productId: string; score: number; reason: string }[];
  modelVersion: string;
  generatedAt: string;
  source: 'personal' | 'fallback';
}

export async function startPipelineHarness(label: string): Promise<PipelineHarness> {
  const infra = inject('infrastructure');
  const env = await createFeaturesTestEnv(infra, label);
  await env.startWorker();
  const commands = new Redis(infra.redisUrl);
  const subscriber = new Redis(infra.redisUrl);
  const recommender = createRecommender({
    redis: commands,
    subscriber,
    pool: env.pool,
    keys: env.keys,
    catalog: env.catalog,
    settings: validateRecommenderSettings({
      batchSize: 200,
      topN: 10,
      recsTtlSeconds: 600,
      signalsRefreshMs: 100,
      modelPollIntervalMs: 60_000,
      idlePollMs: 20,
    }),
    logger: silentLogger,
  });
  await recommender.start();
  env.onClose(async () => {
    await recommender.stop();
    commands.disconnect();
    subscriber.disconnect();
  });
  const app = await createTestWeb({
    kafka: env.kafka,
    redisUrl: infra.redisUrl,
    databaseUrl: env.db.url,
    topics: env.topics,
    keys: env.keys,
  });
  env.onClose(() => app.close());
  const baseUrl = await app.listen({ port: 0, host: '127.0.0.1' });
  return {
    env,
    app,
    baseUrl,
    productsIn: (c) => env.catalog.productsIn(c),
    categoryOf: (p) => env.catalog.categoryOf(p),
    async recommendations(userId) {
      const res = await app.inject({ method: 'GET', url: `/recommendations/${userId}?limit=10` });
      if (res.statusCode !== 200)
        throw new Error(`GET /recommendations answered ${res.statusCode}: ${res.body}`);
      return res.json() as RecommendationsBody;
    },
    async post(events) {
      const res = await postEvents(app, events);
      if (res.statusCode !== 202) throw new Error(`POST /events answered ${res.statusCode}: ${res.body}`);
    },
    close: () => env.close(),
  };
}

let sequence = 0;

/** Events of one session: `type` on each product, one millisecond apart, ending now. */
export function sessionEvents(
  userId: string,
  sessionId: string,
  productIds: readonly string[],
  type: UserEvent['type'] = 'view',
): UserEvent[] {
  const end = Date.now();
  return productIds.map((productId, i) => ({
    eventId: `e2e-${process.pid}-${++sequence}`,
    type,
    userId,
    sessionId,
    productId,
    ts: new Date(end - (productIds.length - i)).toISOString(),
  }));
}

/** Other shoppers browsing `categories` (a few sessions each): popularity and co-occurrence to work with. */
export function crowdEvents(h: PipelineHarness, categories: readonly string[], perCategory = 4): UserEvent[] {
  return categories.flatMap((c, ci) => {
    const products = h.productsIn(c).slice(0, 8);
    return Array.from({ length: perCategory }, (_, u) =>
      sessionEvents(`crowd-${ci}-${u}`, `crowd-${ci}-${u}-s`, products.slice(u % 3, (u % 3) + 5)),
    ).flat();
  });
}

/** Share of a list's items in `categoryId`. */
export function shareIn(h: PipelineHarness, body: RecommendationsBody, categoryId: string): number {
  if (body.items.length === 0) return 0;
  return body.items.filter((i) => h.categoryOf(i.productId) === categoryId).length / body.items.length;
}
