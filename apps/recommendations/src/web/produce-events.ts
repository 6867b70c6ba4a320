import type { TypedProducer } from '@streamkit/kafka';
import type { TopicDef, UserEvent, Validator } from '@streamkit/schemas';
import type { RecsTopics } from '../common/topics.ts';
import { ProduceTimeoutError } from './errors.ts';

export interface ProduceEventsDeps {
  readonly producer: TypedProducer;
  readonly topics: RecsTopics;
  readonly produceTimeoutMs: number;
  /** Where a produce that failed after its request had already timed out is reported. */
  readonly onBackgroundError: (error: unknown) => void;
}

/**
 * The events topic for events POST /events has already validated with the same UserEvent
 * validator (parseEventBatch): the producer's own check would run the schema a second time per event.
 */
const validated = new WeakMap<TopicDef<UserEvent>, TopicDef<UserEvent>>();
function prevalidated(topic: TopicDef<UserEvent>): TopicDef<UserEvent> {
  let def = validated.get(topic);
  if (def === undefined) {
    const validator: Validator<UserEvent> = {
      name: topic.validator.name,
      schema: topic.validator.schema,
      validate: (value) => ({ ok: true, value: value as UserEvent }),
      is: (_value): _value is UserEvent => true,
    };
    def = Object.freeze({ name: topic.name, validator, keyOf: topic.keyOf });
    validated.set(topic, def);
  }
  return def;
}

/**
 * Produces the events (already validated by parseEventBatch) keyed by userId (the topic's key) and waits for the broker's ack, at most
 * produceTimeoutMs. Ingestion is at-least-once: a client that retries after a timeout may send an
 * event twice; each carries its eventId so consumers can tell.
 */
export async function produceEvents(deps: ProduceEventsDeps, events: readonly UserEvent[]): Promise<void> {
  const produced = deps.producer.send(
    prevalidated(deps.topics.events),
    events.map((value) => ({ value })),
  );
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new ProduceTimeoutError(events.length, deps.produceTimeoutMs)),
      deps.produceTimeoutMs,
    );
  });
  try {
    await Promise.race([produced, timeout]);
  } catch (error) {
    if (error instanceof ProduceTimeoutError) produced.catch(deps.onBackgroundError);
    throw error;
  } finally {
    clearTimeout(timer);
  }
}
