// `pnpm chaos recommendations`: the recommendations pipeline under seeded faults (registered in package.json).
import { type ChaosPlan, type ChaosServiceSpec, type OutputCheck, sampleNote } from '@streamkit/chaos';
import { withPool } from '@streamkit/postgres';
import { Redis } from 'ioredis';
import { recsRedisKeys } from './common/redis-keys.ts';
import { demoEventsApiKey, demoSessionSecret, pipelineService, preparePipeline } from './demo.ts';
import { recsFreshnessScenario } from './loadgen/freshness-scenario.ts';

const keys = recsRedisKeys('recs:');

function service(name: 'features' | 'recommender' | 'web', replicable: boolean): ChaosServiceSpec {
  return {
    name,
    replicable,
    instance: (port: number) =>
      pipelineService(name, port, {
        env: () => ({ WEB_SESSION_SECRET: demoSessionSecret, WEB_EVENTS_API_KEY: demoEventsApiKey }),
        readyTimeoutMs: 120_000,
      }),
  };
}

export default {
  pipeline: 'recommendations',
  needs: ['kafka', 'postgres', 'redis'],
  redis: {
    holds:
      'the online feature store (recs:user:* recent items, affinities, purchases, meta counters; popularity and co-occurrence sets; watermarks), the per-partition processed markers and the recommendation cache',
    onLoss: 'durable',
  },
  prepare: (infra) => preparePipeline(infra),
  // the demo's order, without its live shoppers: the load is the chaos run's alone
  services: [service('features', true), service('recommender', false), service('web', false)],
  scenario: recsFreshnessScenario,
  scenarioOptions: (ports) => ({ 'web-url': `http://127.0.0.1:${ports.web}` }),
  defaultRate: 40,
  async verify({ infra, load }): Promise<OutputCheck[]> {
    // each operation is one view by a brand-new shopper: ids from freshness-scenario.ts
    const accepted = [...load.accepted];
    const eventId = (op: number) => `${load.runId}-${op}`;
    const userId = (op: number) => `fresh-${load.runId}-${op}`;
    const logged = await withPool(infra.databaseUrl, { max: 1 }, async (pool) => {
      const rows = await pool.query<{ event_id: string }>(
        'select event_id from recs_events where event_id like $1',
        [`${load.runId}-%`],
      );
      return new Set(rows.rows.map((r) => r.event_id));
    });
    const redis = new Redis(infra.redisUrl, { maxRetriesPerRequest: 3 });
    const counted: (string | null)[] = [];
    let cached = 0;
    try {
      for (let i = 0; i < accepted.length; i += 500) {
        const pipeline = redis.pipeline();
        for (const op of accepted.slice(i, i + 500)) pipeline.hget(keys.userMeta(userId(op)), 'events');
        for (const [error, value] of (await pipeline.exec()) ?? [])
          counted.push(error ? null : (value as string | null));
      }
      for (let i = 0; i < accepted.length; i += 500) {
        const batch = accepted.slice(i, i + 500);
        const exists = await redis.exists(...batch.map((op) => keys.recs(userId(op))));
        cached += exists;
      }
    } finally {
      redis.disconnect();
    }
    const counts = counted.map((v) => (v === null ? 0 : Number(v)));
    return [
      {
        output: 'recs_events (offline store)',
        expectation: 'one row per accepted event',
        expected: accepted.length,
        lost: accepted.filter((op) => !logged.has(eventId(op))).length,
        notes: sampleNote('not logged', accepted.filter((op) => !logged.has(eventId(op))).map(eventId)),
        // event_id is the primary key: a second copy cannot be stored
        duplicated: 0,
      },
      {
        output: 'user meta "events" counter (online store)',
        expectation: "each new shopper's counter is exactly 1",
        expected: accepted.length,
        lost: counts.filter((n) => n === 0).length,
        duplicated: counts.reduce((sum, n) => sum + Math.max(0, n - 1), 0),
      },
      {
        output: 'recommendation cache (recs:recs:<user>)',
        expectation: 'an entry for every accepted shopper (TTL 24 h)',
        expected: accepted.length,
        lost: accepted.length - cached,
        duplicated: 0,
      },
    ];
  },
} satisfies ChaosPlan;
