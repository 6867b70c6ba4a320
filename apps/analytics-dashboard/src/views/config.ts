import { env } from '@streamkit/config';
import { dashboardCommonEnv } from '../common/env.ts';

/** The streaming engines' SQL URLs; only the one VIEWS_ENGINE names is needed. */
export const viewsEngineEnv = Object.freeze({
  risingwaveUrl: env.url('RISINGWAVE_URL', { optional: true, protocols: ['postgres', 'postgresql'] }),
  materializeUrl: env.url('MATERIALIZE_URL', { optional: true, protocols: ['postgres', 'postgresql'] }),
});

/** Everything `views:migrate` reads from the environment. */
export const viewsMigrateConfigSpec = Object.freeze({
  ...dashboardCommonEnv,
  ...viewsEngineEnv,
  /** Brokers as RisingWave/Materialize reach them (compose: kafka:19092); default KAFKA_BROKERS. */
  viewsKafkaBootstrap: env.string('VIEWS_KAFKA_BOOTSTRAP', { optional: true }),
});
