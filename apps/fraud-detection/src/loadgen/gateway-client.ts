import { createHttpClient } from '@streamkit/loadgen';
import type { Payment } from '@streamkit/schemas';

export interface GatewayClientSettings {
  readonly baseUrl: string;
  readonly apiKey: string;
  /** Keep-alive connections to the gateway at most; requests beyond them queue in the client. */
  readonly connections: number;
  readonly timeoutMs: number;
}

export interface GatewayClient {
  /** Resolves on 202; rejects with the load generator's HttpRequestError otherwise (counted under its kind). */
  postPayment(payment: Payment): Promise<void>;
  close(): Promise<void>;
}

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
    postPayment: (payment) => http.send('POST', '/payments', 202, JSON.stringify(payment)),
    close: () => http.close(),
  };
}
