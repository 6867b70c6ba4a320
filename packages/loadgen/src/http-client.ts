/**
 * The load generator's HTTP/1.1 client, shared by every scenario that enters over HTTP.
 *
 * Why not node:http or undici: both write each request with its own syscall, and on this 2-core
 * machine the generator then spent twice the CPU per request of the no-op server it measured — the
 * stick broke before what it measured. Here every request issued in one tick of the schedule goes
 * out on its connection in one write (cork → uncork on the next tick), pipelined up to a depth per
 * connection, and responses are parsed just far enough for the status and the body.
 */
import { connect as connectPlain, type Socket } from 'node:net';
import { connect as connectTls } from 'node:tls';
import { LoadgenError } from './errors.ts';
import { type ParsedResponse, ResponseParser } from './http-response-parser.ts';

/** A refused or failed request, counted by the runner under `kind`. */
export class HttpRequestError extends LoadgenError {
  /** http-4xx, http-5xx, http-503 (shed load), timeout or network. */
  readonly kind: string;
  readonly status: number | undefined;
  constructor(
    kind: string,
    message: string,
    options: { retriable: boolean; status?: number; cause?: unknown },
  ) {
    super(message, options);
    this.name = 'HttpRequestError';
    this.kind = kind;
    this.status = options.status;
  }
}

export interface HttpClientSettings {
  /** e.g. http://127.0.0.1:3000 — only the scheme, host and port are used. */
  readonly baseUrl: string;
  /** Keep-alive connections at most; requests beyond them queue in the client. */
  readonly connections: number;
  /** Requests in flight per connection (HTTP/1.1 pipelining); 1 = none. */
  readonly pipelining?: number;
  /** Per request, from when it is written until its whole response is read. */
  readonly timeoutMs: number;
  /** Sent with every request (e.g. `x-api-key`). */
  readonly headers?: Readonly<Record<string, string>>;
  /** Names the server in error messages, e.g. "gateway". */
  readonly serverName?: string;
}

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface HttpClient {
  /** Resolves with the response body when the status is `expect`; rejects with HttpRequestError otherwise. */
  call(method: HttpMethod, path: string, expect: number, body?: string): Promise<string>;
  /** Like `call`, without decoding the body (cheaper when only the status matters). */
  send(method: HttpMethod, path: string, expect: number, body?: string): Promise<void>;
  /** Requests written and not answered, plus those queued for a connection. */
  readonly pending: number;
  close(): Promise<void>;
}

interface Exchange {
  readonly head: string;
  readonly body: string | undefined;
  readonly expect: number;
  readonly read: boolean;
  writtenAtMs: number;
  resolve(body: string): void;
  reject(error: HttpRequestError): void;
}

export function createHttpClient(settings: HttpClientSettings): HttpClient {
  const url = parseBaseUrl(settings.baseUrl);
  const depth = settings.pipelining ?? 1;
  requireInt('connections', settings.connections, 1, 10_000);
  requireInt('pipelining', depth, 1, 128);
  requireInt('timeoutMs', settings.timeoutMs, 1, 3_600_000);
  const serverName = settings.serverName ?? 'server';
  const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
  let fixed = `host: ${url.host}\r\naccept: application/json\r\n`;
  for (const [name, value] of Object.entries(settings.headers ?? {})) fixed += `${name}: ${value}\r\n`;
  const connections: Connection[] = [];
  const queue: Exchange[] = [];
  let queueHead = 0;
  let next = 0;
  let closed = false;

  class Connection {
    private readonly socket: Socket;
    private readonly parser = new ResponseParser();
    readonly inFlight: Exchange[] = [];
    private corked = false;
    dead = false;

    constructor() {
      this.socket =
        url.protocol === 'https:'
          ? connectTls({ host: url.hostname, port, servername: url.hostname })
          : connectPlain({ host: url.hostname, port });
      this.socket.setNoDelay(true);
      this.socket.on('data', (chunk: Buffer) => this.onData(chunk));
      this.socket.on('error', (error) => this.fail('network', `${serverName}: ${error.message}`, error));
      this.socket.on('close', () =>
        this.fail('network', `${serverName} closed the connection with requests unanswered`),
      );
    }

    write(exchange: Exchange, nowMs: number): void {
      exchange.writtenAtMs = nowMs;
      this.inFlight.push(exchange);
      if (!this.corked) {
        this.corked = true;
        this.socket.cork();
        process.nextTick(() => {
          this.corked = false;
          this.socket.uncork();
        });
      }
      this.socket.write(exchange.body === undefined ? exchange.head : exchange.head + exchange.body);
    }

    private onData(chunk: Buffer): void {
      try {
        this.parser.push(chunk);
        for (let response = this.parser.next(); response !== undefined; response = this.parser.next()) {
          const exchange = this.inFlight.shift();
          if (exchange === undefined) throw new Error('a response arrived for no request');
          settle(exchange, response);
          if (response.close) {
            this.fail('network', `${serverName} closed the connection`);
            return;
          }
        }
      } catch (error) {
        this.fail('network', `${serverName} sent what is not HTTP/1.1: ${(error as Error).message}`, error);
        return;
      }
      pump(this);
    }

    timedOut(nowMs: number): boolean {
      const oldest = this.inFlight[0];
      return oldest !== undefined && nowMs - oldest.writtenAtMs > settings.timeoutMs;
    }

    fail(kind: string, message: string, cause?: unknown): void {
      if (this.dead) return;
      this.dead = true;
      this.socket.destroy();
      for (const exchange of this.inFlight.splice(0))
        exchange.reject(new HttpRequestError(kind, message, { retriable: true, cause }));
      const index = connections.indexOf(this);
      if (index >= 0) connections.splice(index, 1);
      if (!closed) pumpQueue();
    }
  }

  function settle(exchange: Exchange, response: ParsedResponse): void {
    if (response.status === exchange.expect) {
      exchange.resolve(exchange.read ? response.body.toString('utf8') : '');
      return;
    }
    const status = response.status;
    const kind = status === 503 ? 'http-503' : status >= 500 ? 'http-5xx' : 'http-4xx';
    const text = response.body.toString('utf8', 0, Math.min(300, response.body.length));
    exchange.reject(
      new HttpRequestError(kind, `${serverName} answered ${status}: ${text}`, {
        retriable: status >= 500,
        status,
      }),
    );
  }

  /** A connection with room, opening one while fewer than `connections` are open. */
  function connectionWithRoom(): Connection | undefined {
    for (let i = 0; i < connections.length; i++) {
      const connection = connections[(next + i) % connections.length] as Connection;
      if (connection.inFlight.length < depth) {
        next = (next + i + 1) % connections.length;
        return connection;
      }
    }
    if (connections.length >= settings.connections) return undefined;
    const connection = new Connection();
    connections.push(connection);
    return connection;
  }

  function pump(connection: Connection): void {
    const now = Date.now();
    while (queueHead < queue.length && !connection.dead && connection.inFlight.length < depth)
      connection.write(queue[queueHead++] as Exchange, now);
    compactQueue();
  }

  function pumpQueue(): void {
    const now = Date.now();
    while (queueHead < queue.length) {
      const connection = connectionWithRoom();
      if (connection === undefined) break;
      connection.write(queue[queueHead++] as Exchange, now);
    }
    compactQueue();
  }

  function compactQueue(): void {
    if (queueHead > 1024 && queueHead * 2 > queue.length) {
      queue.splice(0, queueHead);
      queueHead = 0;
    }
  }

  // one sweep instead of a timer per request: a connection whose oldest request is overdue is
  // closed, and what it carried fails (what waits behind a stuck pipelined request is stuck too)
  const sweep = setInterval(
    () => {
      const now = Date.now();
      for (const connection of [...connections])
        if (connection.timedOut(now))
          connection.fail('timeout', `${serverName}: no answer within ${settings.timeoutMs} ms`);
    },
    Math.max(10, Math.min(250, Math.floor(settings.timeoutMs / 4))),
  );
  sweep.unref();

  function exchange(
    method: HttpMethod,
    path: string,
    expect: number,
    body: string | undefined,
    read: boolean,
  ): Promise<string> {
    if (closed)
      return Promise.reject(new HttpRequestError('network', 'the client is closed', { retriable: false }));
    const length =
      body === undefined
        ? ''
        : `content-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\n`;
    return new Promise<string>((resolve, reject) => {
      const item: Exchange = {
        head: `${method} ${path} HTTP/1.1\r\n${fixed}${length}\r\n`,
        body,
        expect,
        read,
        writtenAtMs: 0,
        resolve,
        reject,
      };
      const connection = queueHead < queue.length ? undefined : connectionWithRoom();
      if (connection === undefined) queue.push(item);
      else connection.write(item, Date.now());
    });
  }

  return {
    call: (method, path, expect, body) => exchange(method, path, expect, body, true),
    send: (method, path, expect, body) => exchange(method, path, expect, body, false).then(() => undefined),
    get pending() {
      return connections.reduce((n, c) => n + c.inFlight.length, 0) + queue.length - queueHead;
    },
    async close() {
      closed = true;
      clearInterval(sweep);
      for (const item of queue.splice(0).slice(queueHead))
        item.reject(new HttpRequestError('network', 'the client was closed', { retriable: false }));
      queueHead = 0;
      for (const connection of [...connections]) connection.fail('network', 'the client was closed');
    },
  };
}

function parseBaseUrl(baseUrl: string): URL {
  let url: URL | undefined;
  try {
    url = new URL(baseUrl);
  } catch {
    url = undefined;
  }
  if (url?.protocol !== 'http:' && url?.protocol !== 'https:')
    throw new LoadgenError(`baseUrl must be an http(s) URL, got ${JSON.stringify(baseUrl)}`);
  return url;
}

function requireInt(name: string, value: number, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max)
    throw new LoadgenError(`${name} must be an integer from ${min} to ${max}, got ${value}`);
}
