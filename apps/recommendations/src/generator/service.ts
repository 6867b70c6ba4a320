import { acquireProducer, ensureTopics } from '@streamkit/kafka';
import { defineService, postgresCheck, type ServiceConfig, type ServiceContext } from '@streamkit/runtime';
import type { UserEvent } from '@streamkit/schemas';
import type { Pool } from 'pg';
import { seedCatalog } from '../catalog/index.ts';
import { acquirePostgres, recsKafka } from '../common/resources.ts';
import { recsTopicSpecs, recsTopics } from '../common/topics.ts';
import { generatorEnv } from './config.ts';
import { recentHistory } from './history.ts';
import { backfillOfflineStore, sendHistory } from './history-sink.ts';
import { createLiveEventStream, postLiveEvents } from './live.ts';
import { createShopperWorld } from './shoppers.ts';

type GeneratorContext = ServiceContext<ServiceConfig<typeof generatorEnv>>;

/**
 * The shopper generator job (GENERATOR_MODE, see README.md): a history of simulated shoppers into
 * Kafka or the offline store, or live events posted to the web service until its duration ends or
 * SIGTERM.
 */
export const generatorJob = defineService({
  name: 'recs-generator',
  config: generatorEnv,
  async start(ctx) {
    const { config, logger, acquire } = ctx;
    const world = createShopperWorld({ seed: config.seed, users: config.users, products: config.products });
    const metrics = { port: config.metricsPort, checks: {} };
    if (config.mode === 'live') {
      // stopping the job (SIGTERM) aborts the posting; the work then ends with what it sent
      const stop = await acquire(
        'live shoppers',
        () => new AbortController(),
        (c) => c.abort(),
      );
      const run = async () => {
        logger.info('posting live shopper events', { url: config.webUrl, rate: config.rate });
        const result = await postLiveEvents(createLiveEventStream(world, config.seed), {
          url: config.webUrl,
          apiKey: config.eventsApiKey,
          ratePerSecond: config.rate,
          durationMs: config.durationSeconds > 0 ? config.durationSeconds * 1000 : Number.POSITIVE_INFINITY,
          signal: stop.signal,
        });
        logger.info('live generator stopped', { ...result });
      };
      return { metrics, parts: { run } };
    }
    const pool = await acquirePostgres(ctx, config.databaseUrl, 2);
    const seeded = await acquire('catalog seed', () =>
      seedCatalog(pool, { seed: config.seed, products: config.products }),
    );
    logger.info('catalog ready', { ...seeded });
    const write = config.historyTarget === 'postgres' ? offlineStoreWriter(pool) : await kafkaWriter(ctx);
    const run = async () => {
      const period = { days: config.historyDays, sessionsPerUserPerDay: config.sessionsPerUserPerDay };
      const events = recentHistory(world, period, Date.now());
      logger.info(await write(events), { events: events.length });
    };
    return { metrics: { ...metrics, checks: { postgres: postgresCheck(pool) } }, parts: { run } };
  },
});

/** Where history mode writes its events; answers what it did. */
type HistoryWriter = (events: readonly UserEvent[]) => Promise<string>;

function offlineStoreWriter(pool: Pool): HistoryWriter {
  return async (events) =>
    `history written to the offline store (${await backfillOfflineStore(pool, events)} new)`;
}

async function kafkaWriter({ config, logger, acquire }: GeneratorContext): Promise<HistoryWriter> {
  const kafka = recsKafka(config, logger);
  const topics = recsTopics(config.topicPrefix);
  await acquire('kafka topics', () =>
    ensureTopics(kafka, [recsTopicSpecs(topics, config.eventsPartitions).events]),
  );
  const producer = await acquireProducer({ acquire }, kafka, {
    lingerMs: 5,
    maxBatchSize: 1000,
    maxBufferedMessages: 20_000,
  });
  return async (events) => {
    await sendHistory(producer, topics, events);
    return `history sent to Kafka topic ${topics.events.name}`;
  };
}
