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
