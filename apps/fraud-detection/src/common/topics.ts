import type { FraudAlert, Payment, PaymentDecision } from '@streamkit/schemas';
import { defineTopic, type TopicDef, topics } from '@streamkit/schemas';

export interface FraudTopics {
  readonly payments: TopicDef<Payment>;
  readonly decisions: TopicDef<PaymentDecision>;
  readonly alerts: TopicDef<FraudAlert>;
}

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
