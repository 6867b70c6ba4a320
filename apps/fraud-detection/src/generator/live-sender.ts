/**
 * Sends payments to the gateway at a steady rate with at most `maxInFlight` requests open. A 503 or
 * 429 (the gateway's backpressure) is retried after its Retry-After; other 4xx are counted as
 * rejected (they are bugs, logged); network errors are retried a few times with backoff.
 */
import { describeError } from '@streamkit/runtime';
import type { Payment } from '@streamkit/schemas';
import type { LabelledPayment } from './draft.ts';
import { GatewayError, GeneratorSettingsError } from './errors.ts';

export interface LiveSenderSettings {
  readonly gatewayUrl: string;
  readonly apiKey: string;
  readonly ratePerSecond: number;
  readonly maxInFlight: number;
  /** stop after this many payments (default: until stop()) */
  readonly maxPayments?: number;
  readonly maxAttempts?: number;
  readonly requestTimeoutMs?: number;
}

export interface LiveStats {
  sent: number;
  accepted: number;
  rejected: number;
  failed: number;
  retries: number;
  fraud: number;
  inFlight: number;
}

export interface LiveSenderDeps {
  readonly fetch: typeof fetch;
  readonly log: (line: string) => void;
}

export interface LiveSender {
  /** resolves when stopped (or maxPayments sent) and every open request has finished */
  run(source: Iterator<LabelledPayment>): Promise<LiveStats>;
  stop(): void;
  readonly stats: Readonly<LiveStats>;
}

export function createLiveSender(settings: LiveSenderSettings, deps: LiveSenderDeps): LiveSender {
  const problems: string[] = [];
  if (!(settings.ratePerSecond > 0 && settings.ratePerSecond <= 100_000))
    problems.push(`rate must be in (0, 100000], got ${settings.ratePerSecond}`);
  if (!(Number.isInteger(settings.maxInFlight) && settings.maxInFlight >= 1))
    problems.push(`maxInFlight must be a positive integer, got ${settings.maxInFlight}`);
  if (!/^https?:\/\//.test(settings.gatewayUrl))
    problems.push(`gatewayUrl must be http(s), got ${settings.gatewayUrl}`);
  if (problems.length > 0) throw new GeneratorSettingsError(problems);
  const endpoint = new URL('/payments', settings.gatewayUrl).toString();
  const maxAttempts = settings.maxAttempts ?? 5;
  const stats: LiveStats = {
    sent: 0,
    accepted: 0,
    rejected: 0,
    failed: 0,
    retries: 0,
    fraud: 0,
    inFlight: 0,
  };
  let stopped = false;
  let wake: (() => void) | null = null;
  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        wake = null;
        resolve();
      }
      wake = done;
    });

  async function post(payment: Payment): Promise<void> {
    const response = await deps.fetch(endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': settings.apiKey },
      body: JSON.stringify(payment),
      signal: AbortSignal.timeout(settings.requestTimeoutMs ?? 10_000),
    });
    const text = await response.text();
    if (response.status === 202 || response.status === 200) return;
    const retriable = response.status === 429 || response.status >= 500;
    const retryAfterS = Number(response.headers.get('retry-after') ?? '1');
    const error = new GatewayError(
      `gateway answered ${response.status}: ${text.slice(0, 200)}`,
      response.status,
      { retriable },
    );
    (error as GatewayError & { retryAfterMs?: number }).retryAfterMs = Number.isFinite(retryAfterS)
      ? retryAfterS * 1000
      : 1000;
    throw error;
  }

  async function deliver(item: LabelledPayment): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await post(item.payment);
        stats.accepted++;
        return;
      } catch (cause) {
        const error =
          cause instanceof GatewayError
            ? cause
            : new GatewayError(`gateway unreachable: ${describeError(cause)}`, null, {
                retriable: true,
                cause,
              });
        if (!error.retriable) {
          stats.rejected++;
          if (stats.rejected <= 5) deps.log(`payment ${item.payment.paymentId} rejected: ${error.message}`);
          return;
        }
        if (attempt >= maxAttempts || stopped) {
          stats.failed++;
          if (stats.failed <= 5)
            deps.log(`payment ${item.payment.paymentId} failed after ${attempt} attempts: ${error.message}`);
          return;
        }
        stats.retries++;
        const retryAfterMs = (error as GatewayError & { retryAfterMs?: number }).retryAfterMs;
        await new Promise((r) => setTimeout(r, retryAfterMs ?? 100 * 2 ** attempt));
      }
    }
  }

  return {
    stats,
    stop() {
      stopped = true;
      wake?.();
    },
    async run(source) {
      const open = new Set<Promise<void>>();
      const startedAt = performance.now();
      const intervalMs = 1000 / settings.ratePerSecond;
      while (!stopped && (settings.maxPayments === undefined || stats.sent < settings.maxPayments)) {
        // steady schedule: payment n leaves at start + n·interval (no catch-up burst after a stall)
        const due = startedAt + stats.sent * intervalMs;
        const wait = due - performance.now();
        if (wait > 1) await pause(wait);
        if (stopped) break;
        if (open.size >= settings.maxInFlight) {
          await Promise.race(open);
          continue;
        }
        const next = source.next();
        if (next.done) break;
        stats.sent++;
        if (next.value.isFraud) stats.fraud++;
        const request = deliver(next.value).finally(() => {
          open.delete(request);
          stats.inFlight = open.size;
        });
        open.add(request);
        stats.inFlight = open.size;
      }
      await Promise.allSettled(open);
      stats.inFlight = 0;
      return stats;
    },
  };
}
