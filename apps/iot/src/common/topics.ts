import type { IotAlert, SensorReading } from '@streamkit/schemas';
import { defineTopic, type TopicDef, topics } from '@streamkit/schemas';

export interface IotTopics {
  /** Validated device readings, keyed by deviceId (written by the hub). */
  readonly telemetry: TopicDef<SensorReading>;
  /** Anomalies found by the processor, keyed by deviceId. */
  readonly alerts: TopicDef<IotAlert>;
}

/**
 * The pipeline's Kafka topics. A prefix (KAFKA_TOPIC_PREFIX) gives each test file, or each
 * deployment sharing a broker, its own set; the schemas and keys stay those of packages/schemas.
 */
export function iotTopics(prefix = ''): IotTopics {
  const rename = <T>(t: TopicDef<T>): TopicDef<T> =>
    prefix === '' ? t : defineTopic(`${prefix}${t.name}`, t.validator, t.keyOf);
  return {
    telemetry: rename(topics.iotTelemetry),
    alerts: rename(topics.iotAlerts),
  };
}
