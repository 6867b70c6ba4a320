import type { IncomingMessage, TypedProducer } from '@streamkit/kafka';
import type { SensorReading } from '@streamkit/schemas';
import type { IotTopics } from '../common/topics.ts';
import { removeUncommittedFiles } from '../lake/orphans.ts';
import type { LakeWriter } from '../lake/parquet-writer.ts';
import { applyRecords, type StepRecord, type StepSettings } from './batch-step.ts';
import type { BatchTransaction, StateStore } from './state-store.ts';

export interface MicroBatchSummary {
  readonly records: number;
  /** Records below the checkpoint (a replay): already in the lake, skipped. */
  readonly skipped: number;
  readonly lateDropped: number;
  /** Second copies of readings already applied (device, seq and event time): skipped. */
  readonly duplicates: number;
  readonly closedWindows: number;
  readonly alerts: number;
  readonly files: string[];
  /** Where the batch's time went (ms): checkpoint/state reads, the pure step, Parquet files, alerts, the Postgres commit. */
  readonly phaseMs: PhaseTimings;
}

export interface PhaseTimings {
  readonly load: number;
  readonly step: number;
  readonly lake: number;
  readonly alerts: number;
  readonly commit: number;
}

export interface MicroBatchSinkDeps {
  readonly lakeDir: string;
  readonly writer: LakeWriter;
  readonly store: StateStore;
  readonly producer: TypedProducer;
  readonly topics: IotTopics;
  readonly settings: StepSettings;
  readonly now?: () => Date;
}

export interface MicroBatchSink {
  /**
   * Applies one micro-batch: skips records already checkpointed, writes raw readings and closed
   * windows as Parquet (durable), sends alerts, then checkpoints state + offsets in Postgres.
   * Only after it resolves may the Kafka offsets be committed.
   */
  apply(messages: readonly IncomingMessage<SensorReading>[]): Promise<MicroBatchSummary>;
}

export function createMicroBatchSink(deps: MicroBatchSinkDeps): MicroBatchSink {
  const { topics, store, writer } = deps;
  const topic = topics.telemetry.name;
  const now = deps.now ?? (() => new Date());
  // the epoch this member claimed per partition (partition-fence.ts); forgotten after any failure
  // of a batch that held the partition, so the retry claims it again and cleans what the failed
  // batch left (the retry may cut it differently)
  const epochs = new Map<number, bigint>();

  async function applyUnsafe(
    messages: readonly IncomingMessage<SensorReading>[],
  ): Promise<MicroBatchSummary> {
    const partitions = [...new Set(messages.map((m) => m.partition))].sort((a, b) => a - b);
    const unclaimed = partitions.filter((p) => !epochs.has(p));
    if (unclaimed.length > 0) {
      const claimed = await store.claim(topic, unclaimed, async (p, nextOffset) => {
        await removeUncommittedFiles(deps.lakeDir, topic, p, nextOffset);
      });
      for (const [p, epoch] of claimed) epochs.set(p, epoch);
    }
    const tx = await store.begin(topic, new Map(partitions.map((p) => [p, epochs.get(p) ?? 0n])));
    try {
      return await applyLocked(messages, partitions, tx);
    } finally {
      await tx.rollback().catch(() => undefined); // a no-op once committed; a failure's own error says more
    }
  }

  async function applyLocked(
    messages: readonly IncomingMessage<SensorReading>[],
    partitions: readonly number[],
    tx: BatchTransaction,
  ): Promise<MicroBatchSummary> {
    const { progress } = tx;
    // offsets parsed once per message, not once per comparison
    const fresh = messages
      .map((m) => ({ m, offset: BigInt(m.offset) }))
      .filter(({ m, offset }) => offset >= (progress.get(m.partition) ?? 0n))
      .sort((a, b) => a.m.partition - b.m.partition || (a.offset < b.offset ? -1 : 1))
      .map(({ m }) => m);
    const summary = { records: messages.length, skipped: messages.length - fresh.length };
    if (fresh.length === 0) {
      const phaseMs = { load: 0, step: 0, lake: 0, alerts: 0, commit: 0 };
      return { ...summary, lateDropped: 0, duplicates: 0, closedWindows: 0, alerts: 0, files: [], phaseMs };
    }
    let mark = performance.now();
    const lap = () => {
      const at = performance.now();
      const ms = at - mark;
      mark = at;
      return ms;
    };

    const records: StepRecord[] = fresh.map((m) => ({
      reading: m.value,
      partition: m.partition,
      offset: m.offset,
    }));
    const states = await tx.loadDeviceStates([...new Set(records.map((r) => r.reading.deviceId))]);
    const load = lap();
    const result = applyRecords(records, states, deps.settings, now());
    const step = lap();

    const partitionOf = new Map(records.map((r) => [r.reading.deviceId, r.partition]));
    const nextOffsets = new Map<number, bigint>();
    // partitions side by side: their files' fsyncs overlap (the writer encodes one file at a time)
    const filesPerPartition = await allSettled(
      partitions.map(async (p): Promise<string[]> => {
        const own = records.filter((r) => r.partition === p);
        if (own.length === 0) return [];
        const range = {
          topic,
          partition: p,
          first: BigInt(own[0]?.offset ?? 0),
          last: BigInt(own.at(-1)?.offset ?? 0),
        };
        nextOffsets.set(p, range.last + 1n);
        const closed = result.closedWindows.filter((w) => partitionOf.get(w.deviceId) === p);
        const alerts = result.alerts.filter((a) => partitionOf.get(a.deviceId) === p);
        const written = await allSettled([
          writer.writeRaw(
            range,
            result.raw.filter((r) => r.partition === p),
            tx.lost,
          ),
          closed.length > 0 ? writer.writeWindows(range, closed, tx.lost) : [],
          alerts.length > 0 ? writer.writeAlerts(range, alerts, tx.lost) : [],
        ]);
        return written.flat();
      }),
    );
    const files = filesPerPartition.flat();
    const lake = lap();
    // at least once: a replay re-sends the same alerts with the same ids (consumers deduplicate)
    if (result.alerts.length > 0) {
      await deps.producer.send(
        topics.alerts,
        result.alerts.map((value) => ({ value })),
      );
    }
    const alerts = lap();
    const lateByDevice = new Map<string, number>();
    for (const r of result.raw) {
      if (r.late) lateByDevice.set(r.reading.deviceId, (lateByDevice.get(r.reading.deviceId) ?? 0) + 1);
    }
    await tx.commit({
      topic,
      nextOffsets,
      states,
      updatedWindows: result.updatedWindows,
      closedWindows: result.closedWindows,
      lateByDevice,
    });
    const commit = lap();
    return {
      ...summary,
      lateDropped: result.lateDropped,
      duplicates: result.duplicates,
      closedWindows: result.closedWindows.length,
      alerts: result.alerts.length,
      files,
      phaseMs: { load, step, lake, alerts, commit },
    };
  }

  return {
    async apply(messages) {
      try {
        return await applyUnsafe(messages);
      } catch (error) {
        for (const m of messages) epochs.delete(m.partition);
        throw error;
      }
    },
  };
}

/**
 * Promise.all that fails only once every write settled: a failed batch's retry cleans the
 * uncommitted files, so no write of it may still be putting a file in place by then.
 */
async function allSettled<T>(writes: readonly (T | Promise<T>)[]): Promise<T[]> {
  const settled = await Promise.allSettled(writes);
  const failed = settled.find((r) => r.status === 'rejected');
  if (failed !== undefined) throw failed.reason;
  return settled.map((r) => (r as PromiseFulfilledResult<T>).value);
}
