// `pnpm --filter @streamkit/analytics-dashboard views:migrate`: creates the dashboard's views on the
// engine VIEWS_ENGINE names (postgres: DATABASE_URL; risingwave: RISINGWAVE_URL; materialize:
// MATERIALIZE_URL).
import { loadConfig } from '@streamkit/config';
import { dashboardTopics } from '../common/topics.ts';
import { viewsMigrateConfigSpec } from './config.ts';
import { selectViewsEngine } from './engine.ts';
import { migrateViews } from './migrate-views.ts';

try {
  const config = loadConfig(viewsMigrateConfigSpec);
  const target = selectViewsEngine(config);
  const result = await migrateViews({
    ...target,
    logsTopic: dashboardTopics(config.topicPrefix).logs.name,
    kafkaBootstrap: config.viewsKafkaBootstrap ?? config.kafkaBrokers.join(','),
  });
  console.log(
    `views on ${result.engine}: ${result.applied.length} file(s) applied${result.applied.length ? ` (${result.applied.join(', ')})` : ''}`,
  );
} catch (error) {
  console.error((error as Error).message);
  process.exitCode = 1;
}
