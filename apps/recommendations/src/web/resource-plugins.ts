import type { TypedProducer } from '@streamkit/kafka';
import type { FastifyInstance } from 'fastify';
import fastifyPlugin from 'fastify-plugin';
import type { Redis } from 'ioredis';
import type { Pool } from 'pg';

// Each resource the web service holds is a named plugin that releases it when the app closes.
// Fastify runs onClose hooks after the server stopped accepting and open requests finished, in
// reverse registration order: the producer flushes first, then Postgres and Redis close.

export const redisResource = fastifyPlugin<{ redis: Redis }>(
  async (app: FastifyInstance, { redis }) => {
    app.addHook('onClose', async () => {
      await redis.quit().catch(() => redis.disconnect());
    });
  },
  { name: 'web-redis', fastify: '5.x' },
);

export const poolResource = fastifyPlugin<{ pool: Pool }>(
  async (app: FastifyInstance, { pool }) => {
    app.addHook('onClose', async () => {
      await pool.end();
    });
  },
  { name: 'web-postgres', fastify: '5.x', dependencies: ['web-redis'] },
);

export const producerResource = fastifyPlugin<{ producer: TypedProducer }>(
  async (app: FastifyInstance, { producer }) => {
    app.addHook('onClose', async () => {
      await producer.disconnect();
    });
  },
  { name: 'web-producer', fastify: '5.x', dependencies: ['web-postgres'] },
);
