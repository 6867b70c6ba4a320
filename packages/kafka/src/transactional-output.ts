import { encodeMessages } from './codec.ts';
import { byTopic, type OutgoingRecord, type TopicRecords } from './records.ts';
import type { TransactionalOutput } from './types.ts';

/** What `process` queued, and the DLQ records, for one transaction. */
export interface BufferedOutput extends TransactionalOutput {
  add(topic: string, message: OutgoingRecord): void;
  /** Appends everything `other` holds (one transaction's outputs from several partitions). */
  merge(other: BufferedOutput): void;
  /** The buffered records, in the order they were added. */
  records(): readonly { topic: string; message: OutgoingRecord }[];
  /** Records per topic, for one produce request carrying all of them. */
  topicMessages(): TopicRecords[];
  /** Count per topic (for metrics once committed). */
  counts(): ReadonlyMap<string, number>;
}

/**
 * Validates synchronously (an invalid output throws SchemaValidationError inside `process`) and
 * buffers; the transaction sends everything in one request before it adds the offsets and commits.
 */
export function createBufferedOutput(): BufferedOutput {
  const records: { topic: string; message: OutgoingRecord }[] = [];
  const add = (topic: string, message: OutgoingRecord) => {
    records.push({ topic, message });
  };
  return {
    add,
    merge(other) {
      for (const r of other.records()) records.push(r);
    },
    records: () => records,
    send(topic, messages) {
      for (const message of encodeMessages(topic, messages)) add(topic.name, message);
    },
    topicMessages: () => byTopic(records),
    counts() {
      const counts = new Map<string, number>();
      for (const { topic } of records) counts.set(topic, (counts.get(topic) ?? 0) + 1);
      return counts;
    },
  };
}
