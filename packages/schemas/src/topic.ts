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

/** Where a topic's invalid or unprocessable messages go, with the reason in a header. */
export function dlqTopicName(topic: string): string {
  return `${topic}.dlq`;
}
