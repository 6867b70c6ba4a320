import { createHttpClient, HttpRequestError } from '@streamkit/loadgen';
import { backoffDelayMs } from '@streamkit/runtime';
import type { Decision, Payment } from '@streamkit/schemas';

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
  /**
   * POSTs with `?waitMs=` and resolves with the decision in the gateway's answer (the client's
   * path to it); an answer of 202 (decided after the wait) continues as a long-poll on GET. Retries
   * like `postPayment`.
   */
  decidePayment(payment: Payment, waitMs: number, onRetry?: () => void): Promise<Decision>;
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
  /** Runs `attempt` until it succeeds, retrying what leaves the outcome unknown (see retryForMs). */
  async function withRetries<T>(attempt: () => Promise<T>, onRetry?: () => void): Promise<T> {
    const giveUpAt = Date.now() + settings.retryForMs;
    for (let retry = 1; ; retry++) {
      try {
        return await attempt();
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
  }

  /** The decision of a 200 answer; undefined for a 202 (accepted or pending: not decided yet). */
  async function decisionAt(
    method: 'POST' | 'GET',
    path: string,
    body?: string,
  ): Promise<Decision | undefined> {
    try {
      return decisionIn(await http.call(method, path, 200, body));
    } catch (error) {
      if (error instanceof HttpRequestError && error.status === 202) return undefined;
      throw error;
    }
  }

  return {
    postPayment(payment, onRetry) {
      const body = JSON.stringify(payment);
      return withRetries(() => http.send('POST', '/payments', 202, body), onRetry);
    },
    decidePayment(payment, waitMs, onRetry) {
      const body = JSON.stringify(payment);
      const poll = `/payments/${encodeURIComponent(payment.paymentId)}?waitMs=${waitMs}`;
      return withRetries(async () => {
        let decision = await decisionAt('POST', `/payments?waitMs=${waitMs}`, body);
        while (decision === undefined && settings.signal?.aborted !== true)
          decision = await decisionAt('GET', poll);
        if (decision === undefined)
          throw new HttpRequestError('network', 'the run was interrupted', { retriable: false });
        return decision;
      }, onRetry);
    },
    close: () => http.close(),
  };
}

/** The decision field of DecidedBody ({paymentId, status: "decided", decision: {…, decision}}). */
function decisionIn(body: string): Decision {
  const parsed = JSON.parse(body) as { decision?: { decision?: unknown } };
  const decision = parsed.decision?.decision;
  if (decision === 'approve' || decision === 'review' || decision === 'decline') return decision;
  throw new HttpRequestError('http-4xx', `gateway answered 200 without a decision: ${body.slice(0, 200)}`, {
    retriable: false,
  });
}
