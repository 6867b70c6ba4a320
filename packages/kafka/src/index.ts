// The public API of @streamkit/kafka: our own types and factories only; the client libraries
// (the drivers in kafkajs/ and platformatic/, see driver.ts) stay behind them.

export { markPoison, PoisonError } from '@streamkit/runtime';
export { createAdmin, ensureTopics, type KafkaAdmin, type TopicSpec } from './admin.ts';
export { MAX_BATCH_SPAN_LINKS, withBatchSpan } from './batch-span.ts';
export {
  createKafka,
  type KafkaClient,
  type KafkaClientKind,
  type KafkaClientSettings,
  kafkaClientKinds,
} from './client.ts';
export { type ConsumerRunnerSettings, type ConsumerSettings, runConsumer } from './consumer.ts';
export { type ReplayReport, type ReplaySettings, replayDeadLetters } from './dead-letter-replay.ts';
export { type DeadLetter, type DeadLetterSources, readDeadLetters, replayHeaders } from './dead-letters.ts';
export { type DlqErrorKind, dlqHeaders } from './dlq.ts';
export {
  HandlerError,
  KafkaBackpressureError,
  KafkaClosedError,
  KafkaConnectionError,
  KafkaRequestError,
  KafkaSettingsError,
  StreamkitKafkaError,
} from './errors.ts';
export { classifyFailure, type FailureClass } from './failure-class.ts';
export { type ConsumerHealth, consumerHealthChecks, kafkaAdminCheck } from './health-checks.ts';
export {
  type KafkaWithTopics,
  type KafkaWithTopicsSettings,
  openKafkaWithTopics,
} from './kafka-with-topics.ts';
export { describeOutage, type InfrastructureOutage, outageCheck } from './outage.ts';
export { createProducer, type ProducerSettings } from './producer.ts';
export { WEEK_MS } from './retention.ts';
export {
  backoffDelayMs,
  defaultRetryPolicy,
  defaultTransientRetryPolicy,
  validateRetryPolicy,
  validateTransientRetryPolicy,
} from './retry.ts';
export { acquireAdmin, acquireProducer } from './service-resources.ts';
export { messageContext, withMessageContext, withTraceHeaders } from './trace.ts';
export { runTransactionalProcessor, type TransactionalProcessorSettings } from './transactional.ts';
export type {
  BatchContext,
  Headers,
  IncomingMessage,
  OutgoingMessage,
  RetryPolicy,
  RunningConsumer,
  TransactionalOutput,
  TransientRetryPolicy,
  TypedProducer,
} from './types.ts';
