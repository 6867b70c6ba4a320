import { type DeadLetterSources, type TopicSpec, WEEK_MS } from '@streamkit/kafka';
import type { FraudAlert, Payment, PaymentDecision } from '@streamkit/schemas';
import { defineTopic, type TopicDef, topics } from '@streamkit/schemas';

export interface FraudTopics {
  readonly payments: TopicDef<Payment>;
  readonly decisions: TopicDef<PaymentDecision>;
  readonly alerts: TopicDef<FraudAlert>;
}

export type FraudTopicName = keyof FraudTopics;

/**
 * The pipeline's topics. A prefix (KAFKA_TOPIC_PREFIX) gives each test file, or each deployment
 * sharing a broker, its own set; the schemas and keys stay those of packages/schemas.
 */
export function fraudTopics(prefix = ''): FraudTopics {
  const rename = <T>(t: TopicDef<T>): TopicDef<T> =>
    prefix === '' ? t : defineTopic(`${prefix}${t.name}`, t.validator, t.keyOf);
  return {
    payments: rename(topics.payments),
    decisions: rename(topics.paymentDecisions),
    alerts: rename(topics.fraudAlerts),
  };
}

/**
 * How the pipeline's topics are created, declared once: every service ensures the ones it uses
 * from here, so two services ensuring one topic cannot disagree. All are keyed by card and get
 * the payments' partition count (PAYMENTS_PARTITIONS: the detector's parallelism), a week of
 * retention and a DLQ.
 */
export function fraudTopicSpecs(
  topics: FraudTopics,
  paymentsPartitions: number,
  which: readonly FraudTopicName[] = ['payments', 'decisions', 'alerts'],
): TopicSpec[] {
  return which.map((name) => ({
    topic: topics[name].name,
    partitions: paymentsPartitions,
    retentionMs: WEEK_MS,
    withDlq: true,
  }));
}

/** The names of `which` topics with their DLQs (what a test deletes when it is done). */
export function fraudTopicNames(
  topics: FraudTopics,
  which: readonly FraudTopicName[] = ['payments', 'decisions', 'alerts'],
): string[] {
  return which.flatMap((name) => [topics[name].name, `${topics[name].name}.dlq`]);
}

/** For `pnpm dlq fraud`: every topic has a `.dlq` (invalid payments, poison alerts, …). */
export const deadLetterSources: DeadLetterSources = {
  pipeline: 'fraud',
  sourceTopics: (prefix) => Object.values(fraudTopics(prefix)).map((t) => t.name),
};
