import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { userEventValidator } from '@streamkit/schemas';
import { describe, expect, it } from 'vitest';
import { buildCatalogIndex, generateCatalog } from '../src/catalog/index.ts';
import {
  createLiveEventStream,
  createShopperWorld,
  postLiveEvents,
  ShopperSettingsError,
  simulateHistory,
} from '../src/generator/index.ts';

const settings = {
  seed: 'g',
  users: 50,
  products: 1000,
  startMs: Date.UTC(2026, 0, 5),
  durationMs: 86_400_000,
  sessionsPerUser: 4,
};

describe('catalog and shopper generator', () => {
  it('generates the same catalog for the same seed: >= 10,000 products in categories with prices and stock', () => {
    const a = generateCatalog({ seed: 1, products: 10_000 });
    expect(a).toEqual(generateCatalog({ seed: 1, products: 10_000 }));
    expect(a.products).toHaveLength(10_000);
    expect(a.categories.length).toBe(20);
    expect(new Set(a.products.map((p) => p.categoryId)).size).toBe(20);
    expect(a.products.every((p) => p.price > 0 && p.stock >= 0)).toBe(true);
    expect(a.products.some((p) => p.stock === 0)).toBe(true);
    expect(generateCatalog({ seed: 2, products: 100 }).products).not.toEqual(
      generateCatalog({ seed: 1, products: 100 }).products,
    );
  });

  it('is deterministic by seed, valid by schema, and shoppers favour their latent category', () => {
    const events = simulateHistory(settings);
    expect(events).toEqual(simulateHistory(settings));
    expect(events.every((e) => userEventValidator.is(e))).toBe(true);
    expect(new Set(events.map((e) => e.eventId)).size).toBe(events.length);
    const world = createShopperWorld(settings);
    const generated = generateCatalog({ seed: settings.seed, products: settings.products });
    const catalog = buildCatalogIndex(generated.products);
    const favouriteOf = new Map(
      world.shoppers.map((s) => [s.userId, generated.categories[s.favouriteCategory]?.id]),
    );
    const favourite = events.filter(
      (e) => catalog.categoryOf(e.productId) === favouriteOf.get(e.userId),
    ).length;
    expect(favourite / events.length).toBeGreaterThan(0.4);
    expect(() => createShopperWorld({ ...settings, users: 0 })).toThrow(ShopperSettingsError);
  });

  it('posts live events to POST /events at the given rate', async () => {
    const received: unknown[] = [];
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => {
        body += c.toString();
      });
      req.on('end', () => {
        received.push(...(JSON.parse(body) as unknown[]));
        res.writeHead(req.url === '/events' ? 202 : 404).end();
      });
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    try {
      const { port } = server.address() as AddressInfo;
      const stream = createLiveEventStream(createShopperWorld(settings), 1);
      const result = await postLiveEvents(stream, {
        url: `http://127.0.0.1:${port}`,
        ratePerSecond: 200,
        durationMs: 500,
        batchSize: 10,
      });
      expect(result.failed).toBe(0);
      expect(result.sent).toBe(received.length);
      expect(received.length).toBeGreaterThanOrEqual(50);
      expect(received.length).toBeLessThanOrEqual(120);
      expect(received.every((e) => userEventValidator.is(e))).toBe(true);
    } finally {
      server.close();
    }
  });

  it('draws the same shoppers and products per seed, with event ids new to each run', () => {
    const world = createShopperWorld(settings);
    const draw = (run: string) => {
      const stream = createLiveEventStream(world, 7, run);
      return Array.from({ length: 40 }, (_, i) => stream.next(1_700_000_000_000 + i));
    };
    const first = draw('run-a');
    const again = draw('run-a');
    const second = draw('run-b');
    expect(again).toEqual(first);
    const content = (events: typeof first) => events.map((e) => [e.userId, e.productId, e.type]);
    expect(content(second)).toEqual(content(first));
    const firstIds = new Set(first.map((e) => e.eventId));
    expect(second.some((e) => firstIds.has(e.eventId))).toBe(false);
  });
});
