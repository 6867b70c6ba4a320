import { Agent, request } from 'node:http';
import { StreamkitError } from '@streamkit/runtime';
import type { Payment } from '@streamkit/schemas';

/** A refused POST, counted by the load generator under `kind`. */
export class GatewayRequestError extends StreamkitError {
  /** http-4xx, http-5xx, http-503 (shed load), timeout or network. */
  readonly kind: string;
  constructor(kind: string, message: string, options: { retriable: boolean; cause?: unknown }) {
    super(message, options);
    this.kind = kind;
  }
}

export interface GatewayClientSettings {
  readonly baseUrl: string;
  readonly apiKey: string;
  /** Keep-alive sockets to the gateway at most; requests beyond them queue in the agent. */
  readonly connections: number;
  readonly timeoutMs: number;
}

export interface GatewayClient {
  /** Resolves on 202; rejects with GatewayRequestError otherwise. */
  postPayment(payment: Payment): Promise<void>;
  close(): void;
}

/** POST /payments over a bounded pool of keep-alive connections (node:http, no extra dependency). */
export function createGatewayClient(settings: GatewayClientSettings): GatewayClient {
  const url = new URL('/payments', settings.baseUrl);
  const agent = new Agent({ keepAlive: true, maxSockets: settings.connections });
  return {
    postPayment(payment) {
      const body = JSON.stringify(payment);
      return new Promise<void>((resolve, reject) => {
        const req = request(
          url,
          {
            method: 'POST',
            agent,
            timeout: settings.timeoutMs,
            headers: {
              'content-type': 'application/json',
              'content-length': Buffer.byteLength(body),
              'x-api-key': settings.apiKey,
            },
          },
          (res) => {
            const status = res.statusCode ?? 0;
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('end', () => {
              if (status === 202) return resolve();
              const text = Buffer.concat(chunks).toString('utf8').slice(0, 300);
              reject(refusal(status, text));
            });
            res.on('error', (error) =>
              reject(new GatewayRequestError('network', error.message, { retriable: true, cause: error })),
            );
          },
        );
        req.on('timeout', () => {
          req.destroy(
            new GatewayRequestError('timeout', `no answer within ${settings.timeoutMs} ms`, {
              retriable: true,
            }),
          );
        });
        req.on('error', (error) => {
          reject(
            error instanceof GatewayRequestError
              ? error
              : new GatewayRequestError('network', error.message, { retriable: true, cause: error }),
          );
        });
        req.end(body);
      });
    },
    close() {
      agent.destroy();
    },
  };
}

function refusal(status: number, body: string): GatewayRequestError {
  const kind = status === 503 ? 'http-503' : status >= 500 ? 'http-5xx' : `http-4xx`;
  return new GatewayRequestError(kind, `gateway answered ${status}: ${body}`, { retriable: status >= 500 });
}
