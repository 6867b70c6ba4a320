import { env, eventTimeEnv, kafkaEnv, postgresEnv, telemetryEnv, topicPrefixEnv } from '@streamkit/config';

/** The streaming SQL engines the views can run on; `postgres` is the embedded default. */
export const VIEWS_ENGINES = ['postgres', 'risingwave', 'materialize'] as const;
export type ViewsEngine = (typeof VIEWS_ENGINES)[number];

/** Settings every dashboard service shares; each service spreads this into its own spec. */
export const dashboardCommonEnv = Object.freeze({
  ...kafkaEnv,
  ...postgresEnv,
  ...telemetryEnv,
  ...eventTimeEnv,
  ...topicPrefixEnv,
  viewsEngine: env.enum('VIEWS_ENGINE', VIEWS_ENGINES, { default: 'postgres' }),
});
