import {
  env,
  eventTimeEnv,
  kafkaEnv,
  mqttEnv,
  postgresEnv,
  telemetryEnv,
  topicPrefixEnv,
} from '@streamkit/config';

/** Settings every IoT service shares; each service spreads this into its own spec. */
export const iotCommonEnv = Object.freeze({
  ...kafkaEnv,
  ...postgresEnv,
  ...mqttEnv,
  ...telemetryEnv,
  ...eventTimeEnv,
  ...topicPrefixEnv,
  /** Prepended to every MQTT topic (e.g. "t123/" → "t123/devices/<id>/telemetry"); same purpose. */
  mqttTopicPrefix: env.string('MQTT_TOPIC_PREFIX', {
    default: '',
    minLength: 0,
    pattern: /^[A-Za-z0-9._/-]*$/,
  }),
  /** Root directory of the Parquet data lake (tables below it, Hive-partitioned). */
  lakeDir: env.string('LAKE_DIR', { default: './data/lake' }),
});
