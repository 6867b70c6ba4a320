import { SpanKind } from '@opentelemetry/api';
import type { OutgoingMessage, TypedProducer } from '@streamkit/kafka';
import {
  type AccessLog,
  DEFAULT_MAX_FUTURE_SKEW_MS,
  prevalidatedTopic,
  type RejectedLogLine,
} from '@streamkit/schemas';
import { getTracer, type PipelineMetrics, withSpan } from '@streamkit/telemetry';
import type { DashboardTopics } from '../common/topics.ts';
import { processLine } from './line-processor.ts';
import type { UserAgentClassifier } from './user-agents.ts';

/** One raw line to ship, with where it came from. */
export interface RawLine {
  readonly text: string;
  /** stable id (file identity + offset) for file lines */
  readonly id?: string;
  readonly file?: string;
}

export interface ShipResult {
  readonly shipped: number;
  readonly rejected: readonly RejectedLogLine[];
}

export interface LineSender {
  /**
   * Parses, enriches and validates the lines, produces the good ones to the logs topic (keyed by
   * host) and the rest to its DLQ, and resolves once Kafka acknowledged all of them.
   */
  send(lines: readonly RawLine[], source: 'file' | 'http'): Promise<ShipResult>;
}

export interface LineSenderDeps {
  readonly producer: TypedProducer;
  readonly topics: DashboardTopics;
  readonly agents: UserAgentClassifier;
  readonly metrics: PipelineMetrics;
  /** the host recorded for lines that do not name one (combined format never does) */
  readonly defaultHost: string;
  /** Lines dated further ahead of the clock go to the DLQ (default 5 min). */
  readonly maxFutureSkewMs?: number;
}

const tracer = getTracer('dashboard-shipper');

export function createLineSender(deps: LineSenderDeps): LineSender {
  const { producer, topics, agents, metrics, defaultHost } = deps;
  const maxFutureSkewMs = deps.maxFutureSkewMs ?? DEFAULT_MAX_FUTURE_SKEW_MS;
  // processLine validated every line it let through
  const logsTopic = prevalidatedTopic(topics.logs);
  return {
    // one span per shipped batch: the producer writes its trace into every message's headers, so the
    // sink's batch span links back here (and, for POST /logs, to the caller's trace)
    send: (lines, source) =>
      withSpan(
        tracer,
        'dashboard.shipper.ship',
        {
          'dashboard.shipper.source': source,
          'messaging.batch.message_count': lines.length,
          'messaging.destination.name': topics.logs.name,
        },
        () => ship(lines, source),
        { kind: SpanKind.PRODUCER },
      ),
  };

  async function ship(lines: readonly RawLine[], source: 'file' | 'http'): Promise<ShipResult> {
    const started = performance.now();
    const good: OutgoingMessage<AccessLog>[] = [];
    const bad: OutgoingMessage<RejectedLogLine>[] = [];
    const rejected: RejectedLogLine[] = [];
    for (const line of lines) {
      const outcome = processLine(line.text, { source, defaultHost, id: line.id, file: line.file }, agents, {
        maxFutureSkewMs,
      });
      if (outcome.ok) {
        good.push({ value: outcome.log });
      } else {
        rejected.push(outcome.rejected);
        bad.push({ value: outcome.rejected, headers: { 'x-dlq-reason': outcome.rejected.reason } });
      }
    }
    metrics.eventsIn.inc({ topic: topics.logs.name }, lines.length);
    await Promise.all([
      good.length > 0 ? producer.send(logsTopic, good) : undefined,
      bad.length > 0 ? producer.send(topics.rejected, bad) : undefined,
    ]);
    // eventsOut is counted by the producer, per topic (the DLQ's included)
    if (bad.length > 0)
      metrics.eventsFailed.inc({ topic: topics.logs.name, reason: 'unparseable' }, bad.length);
    metrics.processingSeconds.observe({ topic: topics.logs.name }, (performance.now() - started) / 1000);
    return { shipped: good.length, rejected };
  }
}
