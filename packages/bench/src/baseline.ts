/** The Kafka baseline of a run: the broker's perf tools at each message size the plans use, each on fresh topics. */
import type { BenchKafkaAdmin } from './kafka-admin.ts';
import type { KafkaTools } from './kafka-perf.ts';
import type { BaselineRow } from './results.ts';

export interface BaselineRequest {
  readonly tools: KafkaTools;
  readonly admin: BenchKafkaAdmin;
  readonly sizes: readonly number[];
  readonly records: number;
  readonly endToEndRecords: number;
  readonly topicPrefix: string;
  readonly log: (line: string) => void;
  readonly signal: AbortSignal;
}

export async function runBaseline(request: BaselineRequest): Promise<BaselineRow[]> {
  const rows: BaselineRow[] = [];
  for (const size of [...new Set(request.sizes)].sort((a, b) => a - b)) {
    if (request.signal.aborted) break;
    const topic = `${request.topicPrefix}baseline-${size}`;
    const e2eTopic = `${request.topicPrefix}baseline-e2e-${size}`;
    try {
      await request.admin.createTopic(topic, 3);
      const producer = await request.tools.producerPerf(topic, request.records, size);
      request.log(
        `baseline ${size} B: producer ${producer.recordsPerSec} records/s, p99 ${producer.p99Ms} ms`,
      );
      const consumer = await request.tools.consumerPerf(topic, request.records);
      request.log(`baseline ${size} B: consumer ${consumer.recordsPerSec} records/s`);
      const endToEnd = await request.tools.endToEnd(e2eTopic, request.endToEndRecords, size);
      request.log(`baseline ${size} B: end-to-end p50 ${endToEnd.p50Ms} ms, p99 ${endToEnd.p99Ms} ms`);
      rows.push({ recordBytes: size, producer, consumer, endToEnd });
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      request.log(`baseline ${size} B failed: ${reason}`);
      rows.push({ recordBytes: size, skipped: `failed: ${reason}` });
    } finally {
      await request.admin.deleteTopics([topic, e2eTopic]).catch(() => {});
    }
  }
  return rows;
}
