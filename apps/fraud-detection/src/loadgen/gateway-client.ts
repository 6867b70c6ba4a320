import { createHttpClient, HttpRequestError } from '@streamkit/loadgen';
import { backoffDelayMs } from '@streamkit/runtime';
import type { Payment } from '@streamkit/schemas';

export interface GatewayClientSettings {
  readonly baseUrl: string;
  readonly apiKey: string;
  /** Keep-alive connections to the gateway at most; requests beyond them queue in the client. */
  readonly connections: number;
  readonly timeoutMs: number;
  /**
   * How long a payment answered 503 (outcome unknown), 409 "still being accepted", or whose POST
   * timed out or lost its connection, is retried with the same paymentId before it counts as failed.
   */
  readonly retryForMs: number;
  /** Aborted when the run is interrupted: retries stop. */
  readonly signal?: AbortSignal;
}

export interface GatewayClient {
  /**
   * Resolves once the gateway answered 202 — also after retries of a 503 (or of the 409 "still
   * being accepted" a retry may meet), each with the same paymentId, as the gateway's contract
   * asks; `onRetry` is called before the first retry. Rejects with the load generator's
   * HttpRequestError otherwise (counted under its kind).
   */
  postPayment(payment: Payment, onRetry?: () => void): Promise<void>;
  close(): Promise<void>;
}

/** Pauses between retries of one payment: 200 ms doubling to 2 s, with jitter. */
const retryBackoff = { initialBackoffMs: 200, maxBackoffMs: 2000 } as const;

/** POST /payments over the load generator's HTTP client. */
export function createGatewayClient(settings: GatewayClientSettings): GatewayClient {
  const http = createHttpClient({
    baseUrl: settings.baseUrl,
    connections: settings.connections,
    timeoutMs: settings.timeoutMs,
    headers: { 'x-api-key': settings.apiKey },
    serverName: 'gateway',
  });
  return {
    async postPayment(payment, onRetry) {
      const body = JSON.stringify(payment);
      const giveUpAt = Date.now() + settings.retryForMs;
      for (let retry = 1; ; retry++) {
        try {
          await http.send('POST', '/payments', 202, body);
          return;
        } catch (error) {
          // 503 and 409 "still being accepted" by contract; a timeout or a dropped connection leave
          // the outcome just as unknown
          const outcomeUnknown =
            error instanceof HttpRequestError &&
            (error.status === 503 ||
              error.status === 409 ||
              error.kind === 'timeout' ||
              error.kind === 'network');
          const pauseMs = backoffDelayMs(retry, retryBackoff);
          if (!outcomeUnknown || settings.signal?.aborted === true || Date.now() + pauseMs > giveUpAt)
            throw error;
          if (retry === 1) onRetry?.();
          await new Promise((resolve) => setTimeout(resolve, pauseMs));
        }
      }
    },
    close: () => http.close(),
  };
}
