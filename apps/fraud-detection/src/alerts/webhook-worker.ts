import { backoffDelayMs } from '@streamkit/kafka';
import type { Logger } from '@streamkit/runtime';
import type { ClaimedDelivery, DeliveryStore } from './delivery-store.ts';
import { AlertsSettingsError, WebhookDeliveryError } from './errors.ts';
import { DELIVERY_ID_HEADER, SIGNATURE_HEADER, signWebhook, TIMESTAMP_HEADER } from './webhook-signature.ts';

export interface WebhookWorkerSettings {
  readonly store: DeliveryStore;
  /** ALERT_WEBHOOK_SECRET: the HMAC key receivers verify with. */
  readonly secret: string;
  /** Attempts per delivery, the first included, before it is marked failed. */
  readonly maxAttempts: number;
  /** Exponential backoff with equal jitter between attempts. */
  readonly initialBackoffMs: number;
  readonly maxBackoffMs: number;
  /** Requests in flight at most. */
  readonly concurrency: number;
  readonly requestTimeoutMs: number;
  /** How often the outbox is polled when nothing woke the worker (other replicas' alerts). */
  readonly pollIntervalMs: number;
  readonly logger: Logger;
  readonly onResult?: (result: 'delivered' | 'retry' | 'failed') => void;
  readonly fetch?: typeof fetch;
}

export interface WebhookWorker {
  /** Look at the outbox now (called when new alerts were stored). */
  wake(): void;
  /** Stops claiming, lets requests in flight finish (bounded by requestTimeoutMs). Idempotent. */
  stop(): Promise<void>;
}

/** The JSON body of every delivery; receivers dedupe by the (signed) delivery id header. */
export function webhookBody(delivery: ClaimedDelivery): string {
  return JSON.stringify({ type: 'fraud.alert', alert: delivery.alert });
}

export function startWebhookWorker(settings: WebhookWorkerSettings): WebhookWorker {
  const { store, secret, maxAttempts, concurrency, requestTimeoutMs, pollIntervalMs, logger } = settings;
  const post = settings.fetch ?? fetch;
  checkSettings(settings);
  const policy = {
    maxRetries: maxAttempts - 1,
    initialBackoffMs: settings.initialBackoffMs,
    maxBackoffMs: settings.maxBackoffMs,
  };
  // a claim outlives the request it covers, so only a dead worker's claims become due again
  const leaseMs = requestTimeoutMs + 5_000;
  const inFlight = new Set<Promise<void>>();
  let stopped = false;
  let wakeUp: (() => void) | undefined;
  let woken = false;

  function wake(): void {
    woken = true;
    wakeUp?.();
  }

  function pause(ms: number): Promise<void> {
    if (woken) {
      woken = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        wakeUp = undefined;
        woken = false;
        resolve();
      }
      wakeUp = done;
    });
  }

  async function deliver(delivery: ClaimedDelivery): Promise<void> {
    const body = webhookBody(delivery);
    const timestamp = Math.floor(Date.now() / 1000).toString();
    let statusCode: number | undefined;
    try {
      const response = await post(delivery.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'streamkit-fraud-alerts',
          [SIGNATURE_HEADER]: signWebhook(secret, { deliveryId: delivery.deliveryId, timestamp, body }),
          [TIMESTAMP_HEADER]: timestamp,
          [DELIVERY_ID_HEADER]: delivery.deliveryId,
        },
        body,
        redirect: 'manual',
        signal: AbortSignal.timeout(requestTimeoutMs),
      });
      statusCode = response.status;
      await response.body?.cancel();
      if (!response.ok)
        throw new WebhookDeliveryError(`receiver answered ${response.status}`, { statusCode });
      await store.markDelivered(delivery.deliveryId, response.status);
      settings.onResult?.('delivered');
    } catch (error) {
      const giveUp = delivery.attempt >= maxAttempts;
      const message = error instanceof WebhookDeliveryError ? error.message : describe(error);
      await store.markAttemptFailed(delivery.deliveryId, {
        error: message,
        statusCode,
        retryInMs: giveUp ? undefined : backoffDelayMs(delivery.attempt, policy),
      });
      settings.onResult?.(giveUp ? 'failed' : 'retry');
      const fields = {
        deliveryId: delivery.deliveryId,
        url: delivery.url,
        attempt: delivery.attempt,
        error: message,
      };
      if (giveUp) logger.warn('webhook delivery failed for good', fields);
      else logger.debug('webhook delivery attempt failed; will retry', fields);
    }
  }

  async function loop(): Promise<void> {
    while (!stopped) {
      const free = concurrency - inFlight.size;
      let claimed: ClaimedDelivery[] = [];
      if (free > 0) {
        try {
          claimed = await store.claimDue(free, leaseMs);
        } catch (error) {
          logger.warn('webhook outbox claim failed', { error: describe(error) });
        }
      }
      for (const delivery of claimed) {
        const task: Promise<void> = deliver(delivery)
          .catch((error: unknown) => logger.error('webhook bookkeeping failed', { error: describe(error) }))
          .finally(() => {
            inFlight.delete(task);
            wake(); // a slot is free
          });
        inFlight.add(task);
      }
      if (claimed.length === 0 || inFlight.size >= concurrency) await pause(pollIntervalMs);
    }
  }

  const running = loop();

  return {
    wake,
    async stop() {
      stopped = true;
      wake();
      await running;
      await Promise.allSettled([...inFlight]);
    },
  };
}

function checkSettings(s: WebhookWorkerSettings): void {
  const problems: string[] = [];
  const int = (name: string, value: number, min: number, max: number) => {
    if (!Number.isInteger(value) || value < min || value > max)
      problems.push(`${name} must be an integer in ${min}..${max}, got ${value}`);
  };
  if (s.secret.length < 16) problems.push('secret must be at least 16 characters');
  int('maxAttempts', s.maxAttempts, 1, 100);
  int('initialBackoffMs', s.initialBackoffMs, 1, 3_600_000);
  int('maxBackoffMs', s.maxBackoffMs, s.initialBackoffMs, 3_600_000);
  int('concurrency', s.concurrency, 1, 1000);
  int('requestTimeoutMs', s.requestTimeoutMs, 10, 600_000);
  int('pollIntervalMs', s.pollIntervalMs, 10, 600_000);
  if (problems.length > 0) throw new AlertsSettingsError('webhook worker', problems);
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
    return `${error.message}${cause}`;
  }
  return String(error);
}
