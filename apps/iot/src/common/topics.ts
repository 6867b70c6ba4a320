import { env } from '@streamkit/config';
import { type DeadLetterSources, type TopicSpec, WEEK_MS } from '@streamkit/kafka';
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

/** The setting every service that ensures a topic reads (spread into its config spec). */
export const iotTopicsEnv = Object.freeze({
  /** Partitions of the telemetry topic (the processor's parallelism); the alerts topic gets as many. */
  telemetryPartitions: env.int('TELEMETRY_PARTITIONS', { default: 6, min: 1, max: 10_000 }),
});

/**
 * How the broker gets the pipeline's topics, declared once: every topic keeps a week of records and
 * has a `<topic>.dlq`. Each service ensures only the topics it uses (`used`); all of them by default.
 */
export function iotTopicSpecs(
  topics: IotTopics,
  partitions: number,
  used: readonly (keyof IotTopics)[] = ['telemetry', 'alerts'],
): TopicSpec[] {
  return used.map((key) => ({ topic: topics[key].name, partitions, retentionMs: WEEK_MS, withDlq: true }));
}

/**
 * For `pnpm dlq iot`: the telemetry's and the alerts' `.dlq`. The hub's rejected payloads (source
 * `mqtt:<topic>` or `http:/ingest`) are listed there too, but never replayed: they never were valid
 * Kafka records; the devices must send them again.
 */
export const deadLetterSources: DeadLetterSources = {
  pipeline: 'iot',
  sourceTopics: (prefix) => Object.values(iotTopics(prefix)).map((t) => t.name),
};
