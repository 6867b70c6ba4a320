import type { RunningConsumer, TypedProducer } from '@streamkit/kafka';
import type { FastifyInstance } from 'fastify';
import fastifyPlugin from 'fastify-plugin';
import type { Redis } from 'ioredis';
import type { DecisionWaiters } from './decision-waiters.ts';

// Each resource the gateway holds is a named plugin that releases it when the app closes. Fastify
// runs onClose hooks after the server stopped accepting and in-flight requests finished; the app
// registers them so that the decision feed stops first, then the producer flushes (its pending
// acks still update Redis), then Redis is closed.

export const redisResource = fastifyPlugin<{ redis: Redis }>(
  async (app: FastifyInstance, { redis }) => {
    app.addHook('onClose', async () => {
      await redis.quit().catch(() => redis.disconnect());
    });
  },
  { name: 'gateway-redis', fastify: '5.x' },
);

export const producerResource = fastifyPlugin<{ producer: TypedProducer }>(
  async (app: FastifyInstance, { producer }) => {
    app.addHook('onClose', async () => {
      await producer.disconnect();
    });
  },
  { name: 'gateway-producer', fastify: '5.x', dependencies: ['gateway-redis'] },
);

export const decisionFeedResource = fastifyPlugin<{ waiters: DecisionWaiters; feed?: RunningConsumer }>(
  async (app: FastifyInstance, { waiters, feed }) => {
    // preClose: wake long-polls (they answer "pending") before fastify waits for open requests
    app.addHook('preClose', async () => {
      waiters.close();
    });
    app.addHook('onClose', async () => {
      await feed?.stop();
    });
  },
  { name: 'gateway-decision-feed', fastify: '5.x', dependencies: ['gateway-producer'] },
);
