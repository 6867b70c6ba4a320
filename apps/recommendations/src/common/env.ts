import {
  eventTimeEnv,
  kafkaEnv,
  postgresEnv,
  redisEnv,
  redisKeyPrefixEnv,
  telemetryEnv,
  topicPrefixEnv,
} from '@streamkit/config';

/** Settings every recommendations service shares; each service spreads this into its own spec. */
export const recsCommonEnv = Object.freeze({
  ...kafkaEnv,
  ...redisEnv,
  ...postgresEnv,
  ...telemetryEnv,
  ...eventTimeEnv,
  ...topicPrefixEnv,
  ...redisKeyPrefixEnv('recs:'),
});
