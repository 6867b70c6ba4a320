// GET /recommendations, /trending and the catalog, reading the recommender's cache (real Redis) and
// the seeded catalog (real Postgres).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CachedRecommendations } from '../src/common/redis-keys.ts';
import { startWebHarness, type WebHarness } from './support/web-harness.ts';

let h: WebHarness;

beforeAll(async () => {
  h = await startWebHarness();
});

afterAll(async () => {
  await h?.close();
});

const items = (ids: readonly string[], reason: string) =>
  ids.map((productId, i) => ({ productId, score: 1 - i / 100, reason }));

const trending: CachedRecommendations = {
  userId: '*',
  items: items(['p-000010', 'p-000011', 'p-000012'], 'trending in the last hour'),
  modelVersion: 'm-test-1',
  generatedAt: '2026-01-02T03:04:05.000Z',
};

describe('GET /recommendations/:userId', () => {
  it('answers the fallback (empty) before anything was computed', async () => {
    const res = await h.app.inject({ method: 'GET', url: '/recommendations/u-nobody' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ userId: 'u-nobody', items: [], source: 'fallback' });
  });

  it('falls back to trending for an unknown user', async () => {
    await h.redis.set(h.keys.trending(), JSON.stringify(trending));
    const res = await h.app.inject({ method: 'GET', url: '/recommendations/u-unknown?limit=2' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      userId: 'u-unknown',
      items: trending.items.slice(0, 2),
      modelVersion: 'm-test-1',
      generatedAt: trending.generatedAt,
      source: 'fallback',
    });
  });

  it("serves a known user's own list, limited to ?limit, with nothing but the contract's fields", async () => {
    const cached = {
      userId: 'u-known',
      items: items(['p-000100', 'p-000120', 'p-000140', 'p-000160'], 'viewed similar items'),
      modelVersion: 'm-test-2',
      generatedAt: '2026-01-02T03:05:00.000Z',
      internal: 'not for clients',
    };
    await h.redis.set(h.keys.recs('u-known'), JSON.stringify(cached), 'EX', 600);
    const res = await h.app.inject({ method: 'GET', url: '/recommendations/u-known?limit=3' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      userId: 'u-known',
      items: cached.items.slice(0, 3),
      modelVersion: 'm-test-2',
      generatedAt: cached.generatedAt,
      source: 'personal',
    });
    const all = await h.app.inject({ method: 'GET', url: '/recommendations/u-known' });
    expect(all.json().items).toHaveLength(4);
  });

  it('rejects a bad limit or user id with 400 naming it', async () => {
    const big = await h.app.inject({ method: 'GET', url: '/recommendations/u-known?limit=5000' });
    expect(big.statusCode).toBe(400);
    expect(big.json()).toMatchObject({
      error: 'bad_request',
      message: 'invalid query string',
      fields: [{ field: 'limit' }],
    });
    const badId = await h.app.inject({ method: 'GET', url: '/recommendations/%20bad' });
    expect(badId.statusCode).toBe(400);
    expect(badId.json().fields[0].field).toBe('userId');
  });

  it('serves /trending on its own', async () => {
    const res = await h.app.inject({ method: 'GET', url: '/trending?limit=1' });
    expect(res.json()).toMatchObject({ items: [trending.items[0]], source: 'fallback' });
  });
});

describe('catalog', () => {
  it('lists the seeded categories', async () => {
    const res = await h.app.inject({ method: 'GET', url: '/categories' });
    const { categories } = res.json() as { categories: { id: string; name: string }[] };
    expect(categories.length).toBeGreaterThanOrEqual(10);
    expect(categories.map((c) => c.id)).toContain('c-electronics');
  });

  it('serves a product with its category, and 404 for an unknown one', async () => {
    const res = await h.app.inject({ method: 'GET', url: '/products/p-000042' });
    expect(res.statusCode).toBe(200);
    const product = res.json();
    expect(product).toMatchObject({ id: 'p-000042', category: { id: product.categoryId } });
    expect(product.price).toBeGreaterThan(0);
    expect(product.category.name).toMatch(/^[A-Z]/);
    const missing = await h.app.inject({ method: 'GET', url: '/products/p-999999' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toEqual({ error: 'not_found', message: 'no product p-999999' });
    const noRoute = await h.app.inject({ method: 'GET', url: '/product/p-000042' });
    expect(noRoute.json()).toEqual({ error: 'not_found', message: 'no route GET /product/p-000042' });
  });

  it('pages through a category and fetches products by ids in the order asked', async () => {
    const page = (
      await h.app.inject({ method: 'GET', url: '/categories/c-books/products?limit=5&offset=5' })
    ).json();
    expect(page.products).toHaveLength(5);
    expect(page.products.every((p: { categoryId: string }) => p.categoryId === 'c-books')).toBe(true);
    const ids = ['p-000003', 'p-000001', 'p-999999'];
    const some = (await h.app.inject({ method: 'GET', url: `/products?ids=${ids.join(',')}` })).json();
    expect(some.products.map((p: { id: string }) => p.id)).toEqual(['p-000003', 'p-000001']);
  });

  it('answers "bought together" from the co-occurrence features, best first', async () => {
    await h.redis.zadd(h.keys.cooccurrence('p-000005'), 3, 'p-000007', 9, 'p-000008', 4, 'p-000005');
    const res = await h.app.inject({ method: 'GET', url: '/products/p-000005/together?limit=5' });
    expect(
      res.json().items.map((i: { product: { id: string }; together: number }) => [i.product.id, i.together]),
    ).toEqual([
      ['p-000008', 9],
      ['p-000007', 3],
    ]);
  });

  it('serves the storefront page', async () => {
    const res = await h.app.inject({ method: 'GET', url: '/' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/html');
    expect(res.body).toContain('Recommended for you');
    const js = await h.app.inject({ method: 'GET', url: '/storefront.js' });
    expect(js.headers['content-type']).toContain('javascript');
  });
});
