import { createHttpClient } from '@streamkit/loadgen';

export interface WebClientSettings {
  readonly baseUrl: string;
  /** Keep-alive connections at most; requests beyond them queue in the client. */
  readonly connections: number;
  /** Requests in flight per connection (HTTP/1.1 pipelining); default 1. */
  readonly pipelining?: number;
  readonly timeoutMs: number;
  /** Sent as `x-api-key` (the web service's WEB_EVENTS_API_KEY). */
  readonly apiKey?: string;
}

export interface WebClient {
  /**
   * Resolves with the body when the status is `expect`; rejects with the load generator's
   * HttpRequestError otherwise (kind http-4xx, http-5xx, http-503, timeout or network).
   */
  call(method: 'GET' | 'POST', path: string, expect: number, body?: unknown): Promise<string>;
  close(): Promise<void>;
}

/** The web service over the load generator's HTTP client; bodies are sent as JSON. */
export function createWebClient(settings: WebClientSettings): WebClient {
  const http = createHttpClient({
    baseUrl: settings.baseUrl,
    connections: settings.connections,
    pipelining: settings.pipelining,
    timeoutMs: settings.timeoutMs,
    headers: settings.apiKey === undefined ? {} : { 'x-api-key': settings.apiKey },
    serverName: 'web',
  });
  return {
    call: (method, path, expect, body) =>
      http.call(method, path, expect, body === undefined ? undefined : JSON.stringify(body)),
    close: () => http.close(),
  };
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
