import { type DeadLetterSources, type TopicSpec, WEEK_MS } from '@streamkit/kafka';
import type { AccessLog, RejectedLogLine } from '@streamkit/schemas';
import {
  defineTopic,
  dlqTopicName,
  rejectedLogLineValidator,
  type TopicDef,
  topics,
} from '@streamkit/schemas';

export interface DashboardTopics {
  /** Parsed, enriched access-log lines, keyed by host. */
  readonly logs: TopicDef<AccessLog>;
  /** Lines the shipper could not parse or validate (`<logs>.dlq`), with the raw line and the reason. */
  readonly rejected: TopicDef<RejectedLogLine>;
}

/**
 * The pipeline's topics. A prefix (KAFKA_TOPIC_PREFIX) gives each test file, or each deployment
 * sharing a broker, its own set; the schemas and keys stay those of packages/schemas.
 */
export function dashboardTopics(prefix = ''): DashboardTopics {
  const logs =
    prefix === ''
      ? topics.logsHttp
      : defineTopic(`${prefix}${topics.logsHttp.name}`, topics.logsHttp.validator, topics.logsHttp.keyOf);
  // keyed like the logs it failed to become: by source file (or "http"), so one file's order holds
  const rejected = defineTopic(dlqTopicName(logs.name), rejectedLogLineValidator, (r) => r.file ?? r.source);
  return { logs, rejected };
}

/**
 * The pipeline's topics as the broker should have them, declared once: every service ensures the
 * ones it uses from here (safe to repeat, from any service; an existing topic is grown, never
 * shrunk). The logs' partition count is the sink's parallelism.
 */
export function dashboardTopicSpecs(
  topics: DashboardTopics,
  logsPartitions: number,
): { readonly logs: TopicSpec } {
  return {
    logs: { topic: topics.logs.name, partitions: logsPartitions, retentionMs: WEEK_MS, withDlq: true },
  };
}

/**
 * For `pnpm dlq dashboard`: `logs.http.dlq` holds the sink's dead letters (replayable to logs.http)
 * and the shipper's rejected lines (`RejectedLogLine`, no source topic: listed, not replayed — fix
 * the parser and ship the file again).
 */
export const deadLetterSources: DeadLetterSources = {
  pipeline: 'dashboard',
  sourceTopics: (prefix) => [dashboardTopics(prefix).logs.name],
};
