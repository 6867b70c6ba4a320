import { SchemaValidationError } from '@streamkit/schemas';
import type { Message } from 'kafkajs';
import { encodeValue } from './codec.ts';
import { withTraceHeaders } from './trace.ts';
import type { TransactionalOutput } from './types.ts';

/** What `process` queued, and the DLQ records, for one transaction. */
export interface BufferedOutput extends TransactionalOutput {
  add(topic: string, message: Message): void;
  /** Records per topic, for one produce request carrying all of them. */
  topicMessages(): { topic: string; messages: Message[] }[];
  /** Count per topic (for metrics once committed). */
  counts(): ReadonlyMap<string, number>;
}

/**
 * Validates synchronously (an invalid output throws SchemaValidationError inside `process`) and
 * buffers; the transaction sends everything in one request before it adds the offsets and commits.
 */
export function createBufferedOutput(): BufferedOutput {
  const byTopic = new Map<string, Message[]>();
  const add = (topic: string, message: Message) => {
    const list = byTopic.get(topic);
    if (list) list.push(message);
    else byTopic.set(topic, [message]);
  };
  return {
    add,
    send(topic, messages) {
      const encoded: Message[] = messages.map((m) => {
        const result = topic.validator.validate(m.value);
        if (!result.ok) throw new SchemaValidationError(topic.validator.name, result.errors);
        return {
          key: m.key ?? topic.keyOf(m.value),
          value: encodeValue(m.value),
          headers: withTraceHeaders(m.headers),
          timestamp: String(m.timestamp ?? Date.now()),
        };
      });
      for (const message of encoded) add(topic.name, message);
    },
    topicMessages: () => [...byTopic].map(([topic, messages]) => ({ topic, messages })),
    counts: () => new Map([...byTopic].map(([topic, list]) => [topic, list.length])),
  };
}
