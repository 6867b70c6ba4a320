import { env, eventTimeEnv, kafkaEnv, postgresEnv, redisEnv, telemetryEnv } from '@streamkit/config';

/** Settings every fraud service shares; each service spreads this into its own spec. */
export const fraudCommonEnv = Object.freeze({
  ...kafkaEnv,
  ...redisEnv,
  ...postgresEnv,
  ...telemetryEnv,
  ...eventTimeEnv,
  topicPrefix: env.string('KAFKA_TOPIC_PREFIX', { default: '', minLength: 0, pattern: /^[a-z0-9._-]*$/ }),
  redisKeyPrefix: env.string('REDIS_KEY_PREFIX', { default: 'fraud:', pattern: /^[A-Za-z0-9:._-]+$/ }),
});
