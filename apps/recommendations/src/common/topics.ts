import { type DeadLetterSources, type TopicSpec, WEEK_MS } from '@streamkit/kafka';
import type { UserEvent } from '@streamkit/schemas';
import { defineTopic, type TopicDef, topics } from '@streamkit/schemas';

export interface RecsTopics {
  /** Shopper interactions (view, add_to_cart, purchase), keyed by userId. */
  readonly events: TopicDef<UserEvent>;
}

/**
 * The pipeline's topics. A prefix (KAFKA_TOPIC_PREFIX) gives each test file, or each deployment
 * sharing a broker, its own set; the schemas and keys stay those of packages/schemas.
 */
export function recsTopics(prefix = ''): RecsTopics {
  const rename = <T>(t: TopicDef<T>): TopicDef<T> =>
    prefix === '' ? t : defineTopic(`${prefix}${t.name}`, t.validator, t.keyOf);
  return { events: rename(topics.ecommerceEvents) };
}

/**
 * The pipeline's topics as the broker should have them, declared once: every service ensures the
 * ones it uses from here (safe to repeat, from any service; an existing topic is grown, never
 * shrunk). The events' partition count (EVENTS_PARTITIONS) is the features worker's parallelism;
 * records that fail validation go to its `.dlq` twin.
 */
export function recsTopicSpecs(topics: RecsTopics, eventsPartitions: number): { readonly events: TopicSpec } {
  return {
    events: { topic: topics.events.name, partitions: eventsPartitions, retentionMs: WEEK_MS, withDlq: true },
  };
}

/** For `pnpm dlq recommendations`: the events' `.dlq` (invalid events, poison for the features worker). */
export const deadLetterSources: DeadLetterSources = {
  pipeline: 'recommendations',
  sourceTopics: (prefix) => [recsTopics(prefix).events.name],
};
