import { driverOf, type KafkaClient } from './client.ts';
import { dlqHeaders } from './dlq.ts';
import type { StoredRecord } from './driver.ts';
import type { RecordHeaders } from './records.ts';

/**
 * What an app declares about its dead letters (in `src/common/topics.ts`, found through its
 * package.json `"streamkit": { "dlq": "./src/common/topics.ts" }`, export `deadLetterSources`): the
 * pipeline's name as `pnpm dlq` knows it, and the topics whose `<topic>.dlq` may hold dead letters.
 */
export interface DeadLetterSources {
  readonly pipeline: string;
  sourceTopics(topicPrefix: string): readonly string[];
}

/** Headers of replays: on the re-produced record, and on the marker that remembers it in the DLQ. */
export const replayHeaders = Object.freeze({
  /** On a replayed record: `<dlq topic>:<partition>:<offset>` of the dead letter it came from. */
  replayOf: 'x-dlq-replay-of',
  /** On both: when it was replayed (ISO-8601). */
  replayedAt: 'x-dlq-replayed-at',
  /** On a marker (a record without value in the DLQ): `<partition>:<offset>` of the dead letter replayed. */
  replayed: 'x-dlq-replayed',
});

/** One dead letter as the DLQ topic holds it. */
export interface DeadLetter {
  readonly dlqTopic: string;
  readonly partition: number;
  readonly offset: string;
  /** When it was dead-lettered (epoch ms). */
  readonly timestamp: number;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  /** Every header, values as UTF-8 (the original record's and the x-dlq-* ones). */
  readonly headers: Readonly<Record<string, string>>;
  /** The Kafka topic it came from; undefined when it did not come from one (e.g. an MQTT hub's `mqtt:…`). */
  readonly sourceTopic: string | undefined;
  readonly reason: string;
  /** `invalid`, `poison`, `unprocessable` (see DlqErrorKind), or what the writer put there. */
  readonly errorKind: string;
  /** When it was replayed, if it was. */
  readonly replayedAt: string | undefined;
}

/** Every dead letter of `dlqTopic` (read_committed, up to its end offsets now), with its replay state. */
export async function readDeadLetters(
  kafka: KafkaClient,
  dlqTopic: string,
  options: { readonly timeoutMs?: number } = {},
): Promise<DeadLetter[]> {
  const driver = await driverOf(kafka);
  const records = await driver.readTopic(dlqTopic, options.timeoutMs ?? 60_000);
  const replayed = new Map<string, string>();
  const letters: Omit<DeadLetter, 'replayedAt'>[] = [];
  for (const record of records) {
    const headers = textHeaders(record.headers);
    const marker = headers[replayHeaders.replayed];
    if (marker !== undefined && record.value === null) {
      replayed.set(marker, headers[replayHeaders.replayedAt] ?? 'yes');
      continue;
    }
    letters.push(deadLetterOf(dlqTopic, record, headers));
  }
  return letters.map((l) => ({ ...l, replayedAt: replayed.get(`${l.partition}:${l.offset}`) }));
}

function deadLetterOf(
  dlqTopic: string,
  record: StoredRecord,
  headers: Record<string, string>,
): Omit<DeadLetter, 'replayedAt'> {
  const source = headers[dlqHeaders.sourceTopic];
  return {
    dlqTopic,
    partition: record.partition,
    offset: record.offset,
    timestamp: Number(record.timestamp),
    key: record.key,
    value: record.value,
    headers,
    // a hub's `mqtt:<topic>` / `http:/ingest` names where a reading came from, not a Kafka topic
    sourceTopic: source !== undefined && /^[A-Za-z0-9._-]+$/.test(source) ? source : undefined,
    reason: headers[dlqHeaders.reason] ?? '',
    errorKind: headers[dlqHeaders.errorKind] ?? '',
  };
}

function textHeaders(headers: RecordHeaders | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, raw] of Object.entries(headers ?? {})) {
    const value = Array.isArray(raw) ? raw.at(-1) : raw;
    if (value !== undefined) out[name] = Buffer.isBuffer(value) ? value.toString('utf8') : value;
  }
  return out;
}
