// The shopper generator: `node src/generator/main.ts` (GENERATOR_MODE=history|live, see README.md).
import { loadConfig } from '@streamkit/config';
import { createKafka, createProducer, ensureTopics } from '@streamkit/kafka';
import { createPool } from '@streamkit/postgres';
import { createConsoleLogger } from '@streamkit/runtime';
import { seedCatalog } from '../catalog/index.ts';
import { recsTopics } from '../common/topics.ts';
import { migrate } from '../db/migrate.ts';
import { eventsTopicSpecs } from '../features/topic-specs.ts';
import { generatorEnv } from './config.ts';
import { simulateHistory } from './history.ts';
import { backfillOfflineStore, sendHistory } from './history-sink.ts';
import { createLiveEventStream, postLiveEvents } from './live.ts';
import { createShopperWorld } from './shoppers.ts';

const DAY_MS = 86_400_000;
const config = loadConfig(generatorEnv);
const logger = createConsoleLogger('info');
const world = createShopperWorld({ seed: config.seed, users: config.users, products: config.products });

if (config.mode === 'live') {
  const controller = new AbortController();
  process.once('SIGTERM', () => controller.abort());
  process.once('SIGINT', () => controller.abort());
  logger.info('posting live shopper events', { url: config.webUrl, rate: config.rate });
  const result = await postLiveEvents(createLiveEventStream(world, config.seed), {
    url: config.webUrl,
    apiKey: config.eventsApiKey,
    ratePerSecond: config.rate,
    durationMs: config.durationSeconds > 0 ? config.durationSeconds * 1000 : Number.POSITIVE_INFINITY,
    signal: controller.signal,
  });
  logger.info('live generator stopped', { ...result });
} else {
  const pool = createPool(config.databaseUrl, { max: 2 });
  try {
    await migrate(pool);
    const seeded = await seedCatalog(pool, { seed: config.seed, products: config.products });
    logger.info('catalog ready', { ...seeded });
    // the history ends now: its last hours feed the 1 h / 24 h popularity windows
    const durationMs = config.historyDays * DAY_MS;
    const events = simulateHistory(
      {
        ...world.settings,
        startMs: Date.now() - durationMs,
        durationMs,
        sessionsPerUser: config.historyDays * config.sessionsPerUserPerDay,
      },
      world,
    );
    if (config.historyTarget === 'postgres') {
      const inserted = await backfillOfflineStore(pool, events);
      logger.info('history written to the offline store', { events: events.length, inserted });
    } else {
      const kafka = createKafka({
        brokers: config.kafkaBrokers,
        client: config.kafkaClient,
        clientId: config.kafkaClientId,
        logger,
      });
      const topics = recsTopics(config.topicPrefix);
      await ensureTopics(kafka, eventsTopicSpecs(topics, 3));
      const producer = await createProducer(kafka, {
        lingerMs: 5,
        maxBatchSize: 1000,
        maxBufferedMessages: 20_000,
      });
      try {
        await sendHistory(producer, topics, events);
      } finally {
        await producer.disconnect();
      }
      logger.info('history sent to Kafka', { events: events.length, topic: topics.events.name });
    }
  } catch (error) {
    logger.error('generator failed', { error: (error as Error).message });
    process.exitCode = 1;
  } finally {
    await pool.end();
  }
}
