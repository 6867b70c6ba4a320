// Process entry of the dashboard: node --import @streamkit/telemetry/register src/dashboard/main.ts
import { describeConfig, loadConfig } from '@streamkit/config';
import { createPool } from '@streamkit/postgres';
import {
  createConsoleLogger,
  createGracefulShutdown,
  createServiceRegistry,
  postgresCheck,
} from '@streamkit/runtime';
import { selectViewsEngine } from '../views/engine.ts';
import { buildApp } from './app.ts';
import { createPollingChangeFeed, type ViewsChangeFeed } from './change-feed.ts';
import { dashboardConfigSpec } from './config.ts';
import { createMaterializeChangeFeed, createRisingwaveChangeFeed } from './engine-feeds.ts';
import { createViewReader } from './view-reader.ts';
import { createViewsBroadcast } from './views-broadcast.ts';

const config = loadConfig(dashboardConfigSpec);
const logger = createConsoleLogger('info');
logger.info('dashboard starting', describeConfig(dashboardConfigSpec, config));

let crashed = false;
const shutdown = createGracefulShutdown({ logger, exit: (code) => process.exit(crashed ? 1 : code) });
try {
  const target = selectViewsEngine(config);
  const pool = createPool(target.url, {
    max: 8,
    onIdleError: (error) => logger.warn('idle views connection failed', { error: error.message }),
  });
  shutdown.add('views pool', () => pool.end());
  const onError = (error: Error) => logger.warn('views change feed failed', { error: error.message });
  const feed: ViewsChangeFeed =
    target.engine === 'postgres'
      ? createPollingChangeFeed({ db: pool, intervalMs: config.pollIntervalMs, onError })
      : target.engine === 'risingwave'
        ? createRisingwaveChangeFeed({ url: target.url, onError })
        : createMaterializeChangeFeed({ url: target.url, onError });
  shutdown.add('change feed', () => feed.close());
  const reader = createViewReader(pool);
  const broadcast = createViewsBroadcast({ reader, feed, onError });
  const registry = createServiceRegistry('dashboard-web');
  const app = await buildApp(
    { reader, broadcast, registry, checks: { [target.engine]: postgresCheck(pool) } },
    {
      stream: { heartbeatMs: config.streamHeartbeatMs, maxSubscribers: config.maxSubscribers },
      logger: { level: 'warn' },
    },
  );
  shutdown.add('http', () => app.close());
  const address = await app.listen({ port: config.port, host: config.host });
  logger.info(`dashboard listening on ${address} (views on ${target.engine})`);
} catch (error) {
  logger.error('dashboard failed to start', { error: (error as Error).message });
  crashed = true;
  await shutdown.shutdown('startup failure');
}
