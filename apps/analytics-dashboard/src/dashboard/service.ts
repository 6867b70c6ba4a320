import { acquirePool } from '@streamkit/postgres';
import { defineService, describeError, postgresCheck } from '@streamkit/runtime';
import { selectViewsEngine } from '../views/engine.ts';
import { buildApp } from './app.ts';
import { createPollingChangeFeed, type ViewsChangeFeed } from './change-feed.ts';
import { dashboardConfigSpec } from './config.ts';
import { createMaterializeChangeFeed, createRisingwaveChangeFeed } from './engine-feeds.ts';
import { createViewReader } from './view-reader.ts';
import { createViewsBroadcast } from './views-broadcast.ts';

/** The dashboard page and its API over the views, on whichever engine VIEWS_ENGINE names. */
export const dashboardService = defineService({
  name: 'dashboard-web',
  config: dashboardConfigSpec,
  async start({ config, logger, registry, acquire }) {
    const target = selectViewsEngine(config);
    const pool = await acquirePool({ acquire, logger }, target.url, { max: 8, name: 'views pool' });
    const onError = (error: Error) =>
      logger.warn('views change feed failed', { error: describeError(error) });
    const feed: ViewsChangeFeed = await acquire(
      'change feed',
      () =>
        target.engine === 'postgres'
          ? createPollingChangeFeed({ db: pool, intervalMs: config.pollIntervalMs, onError })
          : target.engine === 'risingwave'
            ? createRisingwaveChangeFeed({ url: target.url, onError })
            : createMaterializeChangeFeed({ url: target.url, onError }),
      (f) => f.close(),
    );
    const reader = createViewReader(pool);
    const broadcast = createViewsBroadcast({ reader, feed, onError });
    const app = await buildApp(
      {
        reader,
        broadcast,
        registry,
        apiKey: config.apiKey,
        checks: { [target.engine]: postgresCheck(pool) },
      },
      {
        sessionsPerAddressPerMinute: config.sessionsPerMinute,
        stream: { heartbeatMs: config.streamHeartbeatMs, maxClients: config.maxSubscribers },
        logger: { level: 'warn' },
      },
    );
    return { app, port: config.port, host: config.host };
  },
});
