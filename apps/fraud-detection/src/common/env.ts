import {
  eventTimeEnv,
  kafkaEnv,
  postgresEnv,
  redisEnv,
  redisKeyPrefixEnv,
  telemetryEnv,
  topicPrefixEnv,
} from '@streamkit/config';

/** Settings every fraud service shares; each service spreads this into its own spec. */
export const fraudCommonEnv = Object.freeze({
  ...kafkaEnv,
  ...redisEnv,
  ...postgresEnv,
  ...telemetryEnv,
  ...eventTimeEnv,
  ...topicPrefixEnv,
  ...redisKeyPrefixEnv('fraud:'),
});
