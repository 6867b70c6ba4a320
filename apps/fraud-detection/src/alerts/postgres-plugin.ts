import fastifyPlugin from 'fastify-plugin';
import type { Pool } from 'pg';
import type { AlertFeed } from './alert-feed.ts';

export interface AlertsPostgresOptions {
  readonly pool: Pool;
  readonly feed: AlertFeed;
}

/** The app owns its Postgres resources: on close, the LISTEN feed, then the pool. */
export const alertsPostgres = fastifyPlugin<AlertsPostgresOptions>(
  async (app, { pool, feed }) => {
    app.addHook('onClose', async () => {
      await feed.close();
      await pool.end();
    });
  },
  { name: 'alerts-postgres', fastify: '5.x' },
);
