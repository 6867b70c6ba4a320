// The whole pipeline in-process for one test file: the features worker, the recommender and the web
// service started through their service definitions on the features test environment (own topics,
// keys, database).

import type { UserEvent } from '@streamkit/schemas';
import type { FastifyInstance } from 'fastify';
import { inject } from 'vitest';
import { recommenderService } from '../../src/recommender/service.ts';
import { webService } from '../../src/web/service.ts';
import { createFeaturesTestEnv, type FeaturesTestEnv } from '../features.harness.ts';
import { postEvents, webTestEnv } from './web-harness.ts';

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
  await env.start(recommenderService, {
    RECOMMENDER_BATCH_SIZE: '200',
    RECOMMENDER_TOP_N: '10',
    RECOMMENDER_RECS_TTL_SECONDS: '600',
    RECOMMENDER_SIGNALS_REFRESH_MS: '100',
    RECOMMENDER_MODEL_POLL_INTERVAL_MS: '60000',
    RECOMMENDER_IDLE_POLL_MS: '20',
  });
  const web = await env.start(webService, webTestEnv);
  const app = web.app as FastifyInstance;
  const baseUrl = web.address;
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
