/**
 * `pnpm loadgen recs-freshness`: each operation is a view by a brand-new shopper, POSTed to the web
 * service; it completes when that shopper's own recommendations appear in the recommender's cache
 * (the web service then answers `source: "personal"` instead of the fallback). A new user per
 * operation makes the correlation exact: the entry cannot come from any earlier event. The cache is
 * watched with one MGET per poll over the pending users that are due: every poll while an operation
 * is younger than 25 polls (250 ms at the default, the objective), then every 1/25 of its age. A
 * pipeline that falls behind then costs Redis O(rate), not O(rate × backlog) MGET keys per second,
 * so the stick does not sink the run it measures; a latency above 25 polls is read at most 4 %
 * late (never early).
 */
import { env, loadConfig } from '@streamkit/config';
import { defineScenario } from '@streamkit/loadgen';
import { Redis } from 'ioredis';
import { recsRedisKeys } from '../common/redis-keys.ts';
import { demoEventsApiKey } from '../demo.ts';
import { createWebClient, expectHealthyWeb } from './http-client.ts';

const options = {
  'web-url': { type: 'string', default: 'http://127.0.0.1:8070', description: 'the web service' },
  'key-prefix': {
    type: 'string',
    default: 'recs:',
    description: 'REDIS_KEY_PREFIX of the pipeline under test (its cache is watched)',
  },
  products: {
    type: 'int',
    default: 10_000,
    min: 1,
    max: 10_000_000,
    description: 'catalog size (p-000000 …)',
  },
  'poll-ms': { type: 'int', default: 10, min: 1, max: 1000, description: 'how often the cache is checked' },
  connections: { type: 'int', default: 32, min: 1, max: 10_000, description: 'keep-alive sockets' },
  'request-timeout-ms': { type: 'int', default: 5000, min: 100, max: 120_000, description: 'per POST' },
} as const;

export const recsFreshnessScenario = defineScenario({
  name: 'recs-freshness',
  description: 'a view POSTed to the web service → the shopper’s recommendations visible in the cache',
  options,
  async setup(ctx) {
    const o = ctx.options;
    const config = loadConfig({ apiKey: env.secret('WEB_EVENTS_API_KEY', { optional: true }) });
    if (config.apiKey === undefined)
      ctx.log('WEB_EVENTS_API_KEY unset: using the key of `pnpm demo recommendations`');
    await expectHealthyWeb(o['web-url']);
    const keys = recsRedisKeys(o['key-prefix']);
    const redis = new Redis(ctx.environment.redisUrl, { maxRetriesPerRequest: 2 });
    const client = createWebClient({
      baseUrl: o['web-url'],
      connections: o.connections,
      timeoutMs: o['request-timeout-ms'],
      apiKey: config.apiKey ?? demoEventsApiKey,
    });
    const userOf = (operation: number) => `fresh-${ctx.runId}-${operation}`;
    /** operation → its user's cache key and when to look next, until the entry shows up */
    const pending = new Map<number, { key: string; sentNs: number; dueNs: number }>();
    const pollNs = o['poll-ms'] * 1e6;

    let stopped = false;
    const watching = (async () => {
      while (!stopped && !ctx.signal.aborted) {
        const nowNs = ctx.clock.nowNs();
        const operations: number[] = [];
        const due: string[] = [];
        for (const [operation, p] of pending) {
          if (p.dueNs > nowNs) continue;
          operations.push(operation);
          due.push(p.key);
          const ageNs = nowNs - p.sentNs;
          p.dueNs = nowNs + Math.max(pollNs, ageNs / 25);
        }
        if (due.length > 0) {
          const values = await redis.mget(...due).catch((error: unknown) => {
            ctx.recordError('redis');
            ctx.log(`cache poll failed: ${(error as Error).message}`);
            return [] as (string | null)[];
          });
          const endNs = ctx.clock.nowNs();
          values.forEach((value, i) => {
            if (value === null) return;
            const operation = operations[i] as number;
            pending.delete(operation);
            ctx.recordLatency({ operation, endNs });
          });
        }
        await new Promise((resolve) => setTimeout(resolve, o['poll-ms']));
      }
    })();

    ctx.log(
      `POST ${o['web-url']}/events, watching ${keys.recs('fresh-…')} in Redis every ${o['poll-ms']} ms`,
    );
    return {
      async send(operation, intendedAtNs) {
        const userId = userOf(operation);
        // watched from before the POST: the entry may appear before its 202 arrives here
        pending.set(operation, { key: keys.recs(userId), sentNs: intendedAtNs, dueNs: 0 });
        await client
          .call('POST', '/events', 202, {
            eventId: `${ctx.runId}-${operation}`,
            type: 'view',
            userId,
            sessionId: `${userId}-s`,
            productId: `p-${String((operation * 7919) % o.products).padStart(6, '0')}`,
            ts: new Date(ctx.clock.epochMsAt(intendedAtNs)).toISOString(),
          })
          .catch((error: unknown) => {
            pending.delete(operation);
            throw error;
          });
      },
      async teardown() {
        stopped = true;
        await watching;
        await client.close();
        await redis.quit();
      },
    };
  },
});
