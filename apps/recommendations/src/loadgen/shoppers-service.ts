import { env } from '@streamkit/config';
import { defineService, describeError } from '@streamkit/runtime';
import { Counter } from 'prom-client';
import { createLiveEventStream, createShopperWorld } from '../generator/index.ts';
import { HttpRequestError } from '@streamkit/loadgen';
import { createWebClient } from './http-client.ts';
import { postLiveShoppers } from './live-shoppers.ts';

export const shoppersEnv = {
  webUrl: env.url('WEB_URL', { default: 'http://127.0.0.1:8070', protocols: ['http', 'https'] }),
  apiKey: env.secret('WEB_EVENTS_API_KEY', { minLength: 16 }),
  rate: env.number('SHOPPERS_RATE', { default: 20, min: 0.1, max: 100_000 }),
  seed: env.string('GENERATOR_SEED', { default: '42' }),
  users: env.int('GENERATOR_USERS', { default: 2000, min: 1, max: 10_000_000 }),
  products: env.int('CATALOG_PRODUCTS', { default: 10_000, min: 1, max: 1_000_000 }),
  metricsPort: env.port('METRICS_PORT', { default: 9113, allowZero: true }),
};

/**
 * Live simulated shoppers for the demo and compose: the generator's shopper world and event stream,
 * posted to the web service as a trusted sender until stopped. `/metrics` and `/health` on
 * METRICS_PORT (9113).
 */
export const shoppersService = defineService({
  name: 'recs-shoppers',
  config: shoppersEnv,
  async start({ config, logger, registry, acquire, watch }) {
    const posted = new Counter({
      name: 'streamkit_shopper_events_total',
      help: 'Live shopper events posted to the web service, by outcome',
      labelNames: ['outcome'],
      registers: [registry],
    });
    const world = createShopperWorld({ seed: config.seed, users: config.users, products: config.products });
    const client = await acquire(
      'web client',
      () =>
        createWebClient({ baseUrl: config.webUrl, apiKey: config.apiKey, connections: 8, timeoutMs: 10_000 }),
      (c) => c.close(),
    );
    // stopping the service aborts the posting (before the client it uses closes)
    const stop = await acquire(
      'live shoppers',
      () => new AbortController(),
      (c) => c.abort(),
    );
    let lastWarning = 0;
    logger.info('posting live shopper events', { url: config.webUrl, rate: config.rate });
    const posting = postLiveShoppers(createLiveEventStream(world, config.seed), client, {
      ratePerSecond: config.rate,
      batchSize: Math.max(1, Math.ceil(config.rate / 50)),
      signal: stop.signal,
      onResult(events, accepted, error) {
        posted.inc(
          { outcome: accepted ? 'accepted' : error instanceof HttpRequestError ? error.kind : 'error' },
          events,
        );
        // one warning per 10 s at most: a down web service must not flood the log
        if (!accepted && Date.now() - lastWarning > 10_000) {
          lastWarning = Date.now();
          logger.warn('events refused', { error: describeError(error) });
        }
      },
    });
    watch('live shoppers', posting);
    return { metrics: { port: config.metricsPort, checks: {} } };
  },
});
