import type { Infrastructure } from '@streamkit/testkit';

/**
 * What every IoT service a test starts gets: the real Kafka, MQTT broker and Postgres, with the test's
 * own topic and MQTT prefixes (`<name>.`, `<name>/`), client id, database and lake directory.
 */
export function iotServiceEnv(
  infra: Infrastructure,
  name: string,
  databaseUrl: string,
  lakeDir?: string,
  partitions = 3,
): Record<string, string> {
  return {
    KAFKA_BROKERS: infra.kafkaBrokers.join(','),
    KAFKA_CLIENT_ID: name,
    DATABASE_URL: databaseUrl,
    MQTT_URL: infra.mqttUrl,
    KAFKA_TOPIC_PREFIX: `${name}.`,
    MQTT_TOPIC_PREFIX: `${name}/`,
    TELEMETRY_PARTITIONS: String(partitions),
    ...(lakeDir === undefined ? {} : { LAKE_DIR: lakeDir }),
  };
}
