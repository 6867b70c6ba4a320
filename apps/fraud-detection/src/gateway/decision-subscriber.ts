import type { Logger } from '@streamkit/runtime';
import { type PaymentDecision, paymentDecisionValidator } from '@streamkit/schemas';
import type { PipelineMetrics } from '@streamkit/telemetry';
import type { Redis } from 'ioredis';
import { forEachDecisionLine } from '../common/decision-channel.ts';
import type { FraudRedisKeys } from '../common/redis-keys.ts';
import { readStoredDecision } from './decision-store.ts';
import type { DecisionWaiters } from './decision-waiters.ts';

export interface DecisionSubscriberSettings {
  /** A connection of its own: a subscribed Redis connection serves nothing else. */
  readonly subscriber: Redis;
  /** For looking up stored decisions after a reconnect. */
  readonly redis: Redis;
  readonly keys: FraudRedisKeys;
  readonly waiters: DecisionWaiters;
  readonly logger: Logger;
  readonly metrics?: PipelineMetrics;
  /** The label of the end-to-end latency metric (the decisions topic's name, as before). */
  readonly metricTopic: string;
}

/**
 * Wakes the long-polls from the detector's announcements on the decisions channel, published by
 * the same Redis script that stores the decision, so an announced decision is the final one (a
 * replay after an aborted Kafka transaction re-emits it unchanged). Only decisions someone waits
 * for are parsed. Announcements sent while the connection was down are lost: after every
 * reconnect the waiting paymentIds are looked up in Redis.
 */
export async function subscribeDecisions(settings: DecisionSubscriberSettings): Promise<void> {
  const { subscriber, redis, keys, waiters, logger, metrics, metricTopic } = settings;
  const channel = keys.decisionsChannel();

  function deliver(decision: PaymentDecision): void {
    waiters.deliver(decision);
    // payment creation → decision visible at the gateway
    const paymentMs = Date.parse(decision.paymentTs);
    const now = Date.now();
    if (Number.isFinite(paymentMs) && now >= paymentMs) {
      metrics?.endToEndSeconds.observe({ topic: metricTopic }, (now - paymentMs) / 1000);
    }
  }

  subscriber.on('message', (from: string, message: string) => {
    if (from !== channel) return;
    forEachDecisionLine(message, (paymentId, json) => {
      if (!waiters.has(paymentId)) return;
      let parsed: unknown;
      try {
        parsed = JSON.parse(json);
      } catch {
        parsed = undefined;
      }
      const result = paymentDecisionValidator.validate(parsed);
      if (result.ok) deliver(result.value);
      else logger.warn('unreadable decision announcement', { paymentId });
    });
  });

  async function sweep(): Promise<void> {
    for (const paymentId of waiters.waiting()) {
      const stored = await readStoredDecision(redis, keys, paymentId).catch(() => undefined);
      if (stored !== undefined) deliver(stored);
    }
  }
  let connected = false;
  subscriber.on('ready', () => {
    // the first connect found nothing to catch up on; a reconnect may have missed announcements
    if (connected) void sweep();
    connected = true;
  });
  if (subscriber.status === 'ready') connected = true;
  await subscriber.subscribe(channel);
}
