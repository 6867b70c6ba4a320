/**
 * The record shapes the runners and the drivers exchange. They are kafkajs's shapes, declared here
 * so that the shared code depends on no client library; each driver converts to its library's own.
 */

/** Header values as bytes or UTF-8 strings; a repeated header holds a list. */
export interface RecordHeaders {
  [name: string]: Buffer | string | (Buffer | string)[] | undefined;
}

/** A record to produce (the partition comes from the key, with the Java-compatible partitioner). */
export interface OutgoingRecord {
  readonly key?: Buffer | string | null;
  readonly value: Buffer | string | null;
  readonly headers?: RecordHeaders;
  /** Epoch ms as a decimal string. */
  readonly timestamp?: string;
}

/** Records for one topic, in send order: one element of a produce request. */
export interface TopicRecords {
  readonly topic: string;
  readonly messages: OutgoingRecord[];
}

/** The parts of a consumed record the runners read. */
export interface ConsumedRecord {
  /** Kafka offsets are 64-bit: decimal strings. */
  readonly offset: string;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers?: RecordHeaders;
  /** Epoch ms as a decimal string. */
  readonly timestamp: string;
}

/** Groups records per topic, keeping their order: the shape of one produce request. */
export function byTopic(records: readonly { topic: string; message: OutgoingRecord }[]): TopicRecords[] {
  const groups = new Map<string, OutgoingRecord[]>();
  for (const { topic, message } of records) {
    const list = groups.get(topic);
    if (list) list.push(message);
    else groups.set(topic, [message]);
  }
  return [...groups].map(([topic, messages]) => ({ topic, messages }));
}
