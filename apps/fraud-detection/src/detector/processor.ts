import {
  type IncomingMessage,
  type InfrastructureOutage,
  type KafkaClient,
  markPoison,
  type OutgoingMessage,
  PoisonError,
  type RunningConsumer,
  runTransactionalProcessor,
  type TransactionalOutput,
  withMessageContext,
} from '@streamkit/kafka';
import type { Logger } from '@streamkit/runtime';
import { type FraudAlert, futureEventTime, type Payment, type PaymentDecision } from '@streamkit/schemas';
import { getTracer, injectTraceContext, type PipelineMetrics, withSpan } from '@streamkit/telemetry';
import type { Redis } from 'ioredis';
import type { Pool } from 'pg';
import type { FraudRedisKeys } from '../common/redis-keys.ts';
import type { FraudTopics } from '../common/topics.ts';
import { FEATURE_NAMES } from '../domain/features.ts';
import { alertFor } from './alert.ts';
import { type Decide, startBatch } from './batch-work.ts';
import { createCardStateStore } from './card-state-store.ts';
import { createDecider } from './decider.ts';
import type { DetectorMetrics } from './detector-metrics.ts';
import { createModelRepository, type ModelRepository } from './model-repository.ts';
import { createPartitionStates } from './partition-states.ts';
import { createRulesRepository, type RulesRepository } from './rules-repository.ts';
import { type DetectorSettings, validateDetectorSettings } from './settings.ts';

export interface DetectorDependencies {
  readonly kafka: KafkaClient;
  readonly redis: Redis;
  /** Rules and models are read from here; two connections are held for LISTEN. */
  readonly pool: Pool;
  readonly topics: FraudTopics;
  readonly keys: FraudRedisKeys;
  readonly settings: DetectorSettings;
  readonly metrics: PipelineMetrics;
  readonly detectorMetrics: DetectorMetrics;
  readonly logger: Logger;
  /** The clock stamped on decisions (decidedAt); tests may fix it. */
  readonly now?: () => number;
}

export interface Detector {
  /** Loads rules and the model, then joins the consumer group (resolves once joined). */
  start(): Promise<void>;
  /** Finishes and commits the batch in flight, leaves the group, stops reloading. Idempotent. */
  stop(): Promise<void>;
  /** Settles when the detector stopped; rejects when its consumer crashed for good. */
  readonly done: Promise<void>;
  /** While Redis (or Kafka) is down and payments wait for it: since when and why (for /health). */
  outage(): InfrastructureOutage | undefined;
  readonly rules: RulesRepository;
  readonly model: ModelRepository;
}

/**
 * The detector: payments → per-card state in Redis → patterns, features, rules, model → one
 * decision per payment (and an alert for review/decline), exactly once. Each batch is one Kafka
 * transaction (outputs + consumed offsets); its Redis writes happen in one MULTI before the
 * commit and are idempotent per paymentId (see README.md, "Exactly once").
 */
export function createDetector(deps: DetectorDependencies): Detector {
  const settings = validateDetectorSettings(deps.settings);
  const { kafka, topics, metrics, detectorMetrics, logger } = deps;
  const now = deps.now ?? Date.now;
  const store = createCardStateStore({
    redis: deps.redis,
    keys: deps.keys,
    cardStateTtlSeconds: settings.cardStateTtlSeconds,
    decisionTtlSeconds: settings.decisionTtlSeconds,
    onCorrupt: (error) => {
      detectorMetrics.corruptState.inc();
      logger.error('unreadable value in Redis; treating it as absent', {
        key: error.key,
        error: String(error.cause),
      });
    },
  });
  const rules = createRulesRepository({
    pool: deps.pool,
    logger,
    metrics: detectorMetrics,
    reloadIntervalMs: settings.rulesReloadIntervalMs,
  });
  const model = createModelRepository({
    pool: deps.pool,
    logger,
    metrics: detectorMetrics,
    pollIntervalMs: settings.modelPollIntervalMs,
    featureNames: FEATURE_NAMES,
  });
  const decider = createDecider({
    thresholds: settings.thresholds,
    allowedLatenessMs: settings.allowedLatenessMs,
    now,
  });
  const tracer = getTracer('@streamkit/fraud-detection/detector');

  const states = createPartitionStates(store, settings.stateCacheCards);

  async function processBatch(messages: IncomingMessage<Payment>[], out: TransactionalOutput): Promise<void> {
    const first = messages[0];
    if (first === undefined) return;
    // a run is one partition's records (the transactional processor's contract)
    const { fence, snapshot } = await states.load(
      first.partition,
      unique(messages.map((m) => m.value.cardId)),
      unique(messages.map((m) => m.value.paymentId)),
    );
    const work = startBatch(snapshot);
    // one rule set and model for the whole batch, even if a reload lands meanwhile
    const decide: Decide = decider.forBatch(rules.current(), model.current());
    const decisions: OutgoingMessage<PaymentDecision>[] = [];
    const alerts: OutgoingMessage<FraudAlert>[] = [];
    let late = 0;
    for (const message of messages) {
      const payment = message.value;
      await withMessageContext(message, () =>
        withSpan(
          tracer,
          'fraud.detect',
          { 'payment.id': payment.paymentId, 'card.id': payment.cardId },
          (span) => {
            // checked here too: the record may not have come through the gateway
            const future = futureEventTime('ts', payment.ts, now(), settings.maxFutureSkewMs);
            if (future !== undefined) throw new PoisonError(`payment ${future.field} ${future.message}`);
            const result = decideOne(() => work.next(message, decide));
            span.setAttribute('fraud.outcome', result.kind);
            if (result.kind === 'duplicate') {
              detectorMetrics.repeatedPayments.inc({ kind: 'duplicate' });
              return;
            }
            if (result.kind === 'replay') detectorMetrics.repeatedPayments.inc({ kind: 'replay' });
            if (result.kind === 'decided' && result.late) late++;
            span.setAttribute('fraud.decision', result.decision.decision);
            // the outputs continue this payment's trace (they are sent after the loop, outside it)
            const headers = injectTraceContext({});
            decisions.push({
              value: result.decision,
              headers,
              timestamp: Date.parse(result.decision.decidedAt),
            });
            const alert = alertFor(payment, result.decision);
            if (alert !== null) alerts.push({ value: alert, headers });
          },
        ),
      );
    }
    await states.save(fence, work.changedStates(), work.newDecisions());
    out.send(topics.decisions, decisions);
    out.send(topics.alerts, alerts);

    for (const { decision } of work.newDecisions())
      detectorMetrics.decisions.inc({ decision: decision.decision });
    if (late > 0) detectorMetrics.latePayments.inc(late);
    const at = Date.now();
    for (const m of messages) {
      metrics.endToEndSeconds.observe({ topic: topics.decisions.name }, Math.max(0, at - m.timestamp) / 1000);
    }
  }

  let running: RunningConsumer | undefined;
  let stopping: Promise<void> | undefined;
  let settle: { resolve(): void; reject(error: unknown): void } | undefined;
  const done = new Promise<void>((resolve, reject) => {
    settle = { resolve, reject };
  });
  done.catch(() => undefined); // observed through `done` by whoever cares

  return {
    async start() {
      if (running !== undefined) throw new Error('detector already started');
      try {
        await rules.start();
        await model.start();
        running = await runTransactionalProcessor(kafka, {
          groupId: settings.groupId,
          transactionalId: settings.transactionalId,
          topic: topics.payments,
          // a new group decides every payment already waiting, not just those arriving from now on
          fromBeginning: true,
          maxBatchSize: settings.maxBatchSize,
          sessionTimeoutMs: settings.sessionTimeoutMs,
          commitLingerMs: settings.commitLingerMs,
          fetchMinBytes: settings.fetchMinBytes,
          fetchMaxWaitMs: settings.fetchMaxWaitMs,
          metrics,
          logger,
          process: (messages, out) => processBatch(messages, out),
        });
      } catch (error) {
        await Promise.all([model.stop(), rules.stop()]);
        throw error;
      }
      running.done.then(
        () => settle?.resolve(),
        (error: unknown) => settle?.reject(error),
      );
    },
    stop() {
      stopping ??= (async () => {
        await running?.stop();
        await model.stop();
        await rules.stop();
        if (running === undefined) settle?.resolve();
      })();
      return stopping;
    },
    done,
    outage: () => running?.outage(),
    rules,
    model,
  };
}

/**
 * The domain step for one payment. What it rejects (a RangeError: e.g. a timestamp it cannot read)
 * fails the same way on every attempt: that payment is dead-lettered at once, the batch goes on.
 */
function decideOne<R>(step: () => R): R {
  try {
    return step();
  } catch (error) {
    throw error instanceof RangeError ? markPoison(error) : error;
  }
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}
