import type { Validator } from './validator.ts';

/** A Kafka topic and the one event type it carries. Producers and consumers take these, never bare strings. */
export interface TopicDef<T> {
  readonly name: string;
  readonly validator: Validator<T>;
  /** The partitioning key of an event (card, user, device, host): ordering holds per key. */
  readonly keyOf: (event: T) => string;
}

export function defineTopic<T>(
  name: string,
  validator: Validator<T>,
  keyOf: (event: T) => string,
): TopicDef<T> {
  return Object.freeze({ name, validator, keyOf });
}

const prevalidated = new WeakMap<TopicDef<unknown>, TopicDef<unknown>>();

/**
 * The same topic for events the caller has just validated against the topic's own validator: the
 * producer's second check of the same schema is skipped (≈ 5 % of the dashboard shipper's CPU, and
 * a share of the recommendations web service's, in profiles). One instance per topic.
 */
export function prevalidatedTopic<T>(topic: TopicDef<T>): TopicDef<T> {
  let trusted = prevalidated.get(topic as TopicDef<unknown>) as TopicDef<T> | undefined;
  if (trusted === undefined) {
    const { name, schema } = topic.validator;
    trusted = defineTopic(
      topic.name,
      {
        name,
        schema,
        validate: (value) => ({ ok: true, value: value as T }),
        is: (value): value is T => true,
      },
      topic.keyOf,
    );
    prevalidated.set(topic as TopicDef<unknown>, trusted as TopicDef<unknown>);
  }
  return trusted;
}

/** Where a topic's invalid or unprocessable messages go, with the reason in a header. */
export function dlqTopicName(topic: string): string {
  return `${topic}.dlq`;
}
