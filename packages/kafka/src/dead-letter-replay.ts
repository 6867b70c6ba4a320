import { connectThrough, type KafkaClient } from './client.ts';
import { type DeadLetter, readDeadLetters, replayHeaders } from './dead-letters.ts';
import { fromClientError } from './errors.ts';
import { byTopic, type OutgoingRecord } from './records.ts';

export interface ReplaySettings {
  /** Which dead letters to replay (all by default); those replayed before are skipped anyway. */
  readonly select?: (letter: DeadLetter) => boolean;
  /** The topics a dead letter may go back to (the pipeline's own); others are reported, not replayed. */
  readonly sourceTopics: ReadonlySet<string>;
  /** Report what would be replayed; produce nothing. */
  readonly dryRun?: boolean;
  /** Dead letters per transaction (default 200). */
  readonly batchSize?: number;
  /** Told after each committed transaction. */
  readonly onProgress?: (replayed: number, total: number) => void;
}

export interface ReplayReport {
  readonly dlqTopic: string;
  /** Dead letters the selection matched. */
  readonly selected: number;
  /** Re-produced now (or, in a dry run, that would be). */
  readonly replayed: readonly DeadLetter[];
  /** Matched, but replayed before: not again. */
  readonly alreadyReplayed: number;
  /** Matched, but without a source topic of the pipeline to go back to. */
  readonly notReplayable: readonly DeadLetter[];
}

/**
 * Re-produces dead letters of `dlqTopic` to their source topics, exactly once each: every
 * transaction holds the replayed records and, in the DLQ, one marker per dead letter saying it was
 * replayed; a later replay reads the markers and skips those. The transactional id is the DLQ's, so
 * a replay started meanwhile fences this one (and its open transaction is aborted) before it reads
 * the markers: two replays never both replay one dead letter.
 */
export async function replayDeadLetters(
  kafka: KafkaClient,
  dlqTopic: string,
  settings: ReplaySettings,
): Promise<ReplayReport> {
  const batchSize = settings.batchSize ?? 200;
  if (!Number.isInteger(batchSize) || batchSize < 1)
    throw new RangeError(`batchSize must be an integer >= 1, got ${batchSize}`);
  const transactionalId = `streamkit-dlq-replay.${dlqTopic}`;
  const producer = settings.dryRun
    ? undefined
    : await connectThrough(kafka, 'DLQ replay producer', (driver) =>
        driver.connectTransactionalProducer({
          transactionalId,
          transactionTimeoutMs: 60_000,
          groupId: transactionalId,
          topic: dlqTopic,
          logger: kafka.logger,
        }),
      );
  try {
    // read after the producer fenced any earlier replayer of this DLQ: its markers are all visible now
    const letters = await readDeadLetters(kafka, dlqTopic);
    const selected = letters.filter(settings.select ?? (() => true));
    const fresh = selected.filter((l) => l.replayedAt === undefined);
    const replayable = fresh.filter(
      (l) => l.sourceTopic !== undefined && settings.sourceTopics.has(l.sourceTopic),
    );
    const report: ReplayReport = {
      dlqTopic,
      selected: selected.length,
      replayed: replayable,
      alreadyReplayed: selected.length - fresh.length,
      notReplayable: fresh.filter((l) => !replayable.includes(l)),
    };
    if (producer === undefined) return report;
    for (let i = 0; i < replayable.length; i += batchSize) {
      const chunk = replayable.slice(i, i + batchSize);
      const at = new Date().toISOString();
      const tx = await producer.begin();
      try {
        await tx.send(byTopic([...chunk.map((l) => replayOf(l, at)), ...chunk.map((l) => markerOf(l, at))]));
        await tx.commit();
      } catch (error) {
        await tx.abort();
        throw fromClientError(`replaying ${dlqTopic}`, error);
      }
      settings.onProgress?.(i + chunk.length, replayable.length);
    }
    return report;
  } finally {
    await producer?.disconnect();
  }
}

/** The dead letter as it first was (key, value, its own headers), marked as a replay, for its source topic. */
function replayOf(letter: DeadLetter, at: string): { topic: string; message: OutgoingRecord } {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(letter.headers))
    if (!name.startsWith('x-dlq-')) headers[name] = value;
  headers[replayHeaders.replayOf] = `${letter.dlqTopic}:${letter.partition}:${letter.offset}`;
  headers[replayHeaders.replayedAt] = at;
  return { topic: letter.sourceTopic as string, message: { key: letter.key, value: letter.value, headers } };
}

/** The DLQ's memory of the replay: a record without value naming the dead letter. */
function markerOf(letter: DeadLetter, at: string): { topic: string; message: OutgoingRecord } {
  return {
    topic: letter.dlqTopic,
    message: {
      key: letter.key,
      value: null,
      headers: {
        [replayHeaders.replayed]: `${letter.partition}:${letter.offset}`,
        [replayHeaders.replayedAt]: at,
      },
    },
  };
}
