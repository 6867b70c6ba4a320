import type { TypedProducer } from '@streamkit/kafka';
import { prevalidatedTopic, type UserEvent } from '@streamkit/schemas';
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
 * Produces the events (already validated by parseEventBatch) keyed by userId (the topic's key) and waits for the broker's ack, at most
 * produceTimeoutMs. Ingestion is at-least-once: a client that retries after a timeout may send an
 * event twice; each carries its eventId so consumers can tell.
 */
export async function produceEvents(deps: ProduceEventsDeps, events: readonly UserEvent[]): Promise<void> {
  const produced = deps.producer.send(
    // POST /events validated each event with the same validator (parseEventBatch)
    prevalidatedTopic(deps.topics.events),
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
