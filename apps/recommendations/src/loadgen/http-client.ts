import { Agent, request } from 'node:http';

/** A refused or failed request, counted by the load generator under `kind`. */
export class WebRequestError extends Error {
  /** http-4xx, http-5xx, http-503 (shed load), timeout or network. */
  readonly kind: string;
  readonly retriable: boolean;
  constructor(kind: string, message: string, options: { retriable: boolean; cause?: unknown }) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'WebRequestError';
    this.kind = kind;
    this.retriable = options.retriable;
  }
}

export interface WebClientSettings {
  readonly baseUrl: string;
  /** Keep-alive sockets at most; requests beyond them queue in the agent. */
  readonly connections: number;
  readonly timeoutMs: number;
  /** Sent as `x-api-key` on POSTs (the web service's WEB_EVENTS_API_KEY). */
  readonly apiKey?: string;
}

export interface WebClient {
  /** Resolves with the body when the status is `expect`; rejects with WebRequestError otherwise. */
  call(method: 'GET' | 'POST', path: string, expect: number, body?: unknown): Promise<string>;
  close(): void;
}

/** HTTP/1.1 over a bounded pool of keep-alive connections (node:http, no extra dependency). */
export function createWebClient(settings: WebClientSettings): WebClient {
  const base = new URL(settings.baseUrl);
  const agent = new Agent({ keepAlive: true, maxSockets: settings.connections });
  return {
    call(method, path, expect, body) {
      const payload = body === undefined ? undefined : JSON.stringify(body);
      const headers: Record<string, string | number> = { accept: 'application/json' };
      if (payload !== undefined) {
        headers['content-type'] = 'application/json';
        headers['content-length'] = Buffer.byteLength(payload);
        if (settings.apiKey !== undefined) headers['x-api-key'] = settings.apiKey;
      }
      return new Promise<string>((resolve, reject) => {
        const req = request(
          { protocol: base.protocol, hostname: base.hostname, port: base.port, path, method, agent, headers },
          (res) => {
            const status = res.statusCode ?? 0;
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('end', () => {
              const text = Buffer.concat(chunks).toString('utf8');
              if (status === expect) return resolve(text);
              reject(refusal(status, text.slice(0, 300)));
            });
            res.on('error', (error) =>
              reject(new WebRequestError('network', error.message, { retriable: true, cause: error })),
            );
          },
        );
        req.setTimeout(settings.timeoutMs, () => {
          req.destroy(
            new WebRequestError('timeout', `no answer within ${settings.timeoutMs} ms`, { retriable: true }),
          );
        });
        req.on('error', (error) => {
          reject(
            error instanceof WebRequestError
              ? error
              : new WebRequestError('network', error.message, { retriable: true, cause: error }),
          );
        });
        req.end(payload);
      });
    },
    close() {
      agent.destroy();
    },
  };
}

function refusal(status: number, body: string): WebRequestError {
  const kind = status === 503 ? 'http-503' : status >= 500 ? 'http-5xx' : 'http-4xx';
  return new WebRequestError(kind, `web answered ${status}: ${body}`, { retriable: status >= 500 });
}

/** Fails fast with a helpful message when the web service is not up. */
export async function expectHealthyWeb(baseUrl: string): Promise<void> {
  const url = new URL('/health', baseUrl).href;
  let status: number;
  try {
    status = (await fetch(url, { signal: AbortSignal.timeout(5000) })).status;
  } catch (error) {
    throw new Error(`web service not reachable at ${url} (start it with \`pnpm demo recommendations\`)`, {
      cause: error,
    });
  }
  if (status !== 200) throw new Error(`web service at ${url} is not healthy (HTTP ${status})`);
}
