import type { ServerResponse } from 'node:http';
import { describeError, SettingsError, StreamkitError } from '@streamkit/runtime';
import type { FastifyBaseLogger, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { sendError } from '../http-error.ts';
import { type PublishedMessage, ReplayBuffer, type StreamMessage } from './replay-buffer.ts';
import { STREAM_ID, type Start, startOf } from './resume.ts';

export interface EventStreamsSettings {
  /** A comment line this often keeps proxies and browsers from timing an idle stream out. Default 15 s. */
  readonly heartbeatMs?: number;
  /** Published messages kept for clients that resume with Last-Event-ID. Default 1000; 0: no replay. */
  readonly maxReplayEvents?: number;
  /**
   * The most a `history` replays to one new stream: a Last-Event-ID further back than this many
   * ids (e.g. `0`) gets `event: reset` instead of the whole history. Default 10 000.
   */
  readonly maxHistoryEvents?: number;
  /** Open streams per client address; one more is 429. Default 20. */
  readonly maxClientsPerAddress?: number;
  /** Open streams in all; one more is 503. Default 200. */
  readonly maxClients?: number;
  /** A client with this much unsent on its socket is dropped (it resumes with Last-Event-ID). Default 1 MiB. */
  readonly maxBufferedBytes?: number;
  /** What EventSource waits before reconnecting (the `retry:` field). Default 2000 ms. */
  readonly retryMs?: number;
  /**
   * The id of the newest message published before this stream existed, when `publish` is given
   * the ids (e.g. a change log's); the buffer cannot replay what came before it. Default: ids are
   * numbered here, from a clock-seeded start, so a restarted process never reuses an old id.
   */
  readonly lastId?: string;
  /**
   * Where a client resuming from further back than the buffer reaches gets what it missed, in
   * pages (e.g. rows of a change log after `afterId`). Without it, such a client gets `event: reset`.
   */
  readonly history?: (afterId: string) => AsyncIterable<readonly StreamMessage[]>;
  /** Called with true when the first client connects and false when the last one leaves. */
  readonly onActive?: (active: boolean) => void;
}

export interface OpenOptions {
  /** Sent first to a client that does not resume (or that is reset): e.g. the current snapshot. */
  readonly initial?: () => Promise<readonly StreamMessage[]> | readonly StreamMessage[];
  /** What this client is sent for a message (undefined: nothing), e.g. the views it asked for. */
  readonly select?: (message: StreamMessage) => StreamMessage | undefined;
}

export interface EventStreams {
  /** Sends a message to every open stream and keeps it for replay; returns its id. */
  publish(event: string, data: unknown, options?: { readonly id?: string }): string;
  /** Answers a request with a stream (or 429/503 in the common error body when over a cap). */
  open(request: FastifyRequest, reply: FastifyReply, options?: OpenOptions): Promise<unknown>;
  readonly clientCount: number;
  /** Ends every stream; later requests are 503. Runs in the app's preClose. */
  close(): void;
}

/** `publish` was given an id that is not a decimal integer above the last one. */
export class StreamIdError extends StreamkitError {}

interface Client {
  readonly raw: ServerResponse;
  readonly address: string;
  readonly log: FastifyBaseLogger;
  readonly select: OpenOptions['select'];
  /** Messages published while the client still receives its replay or initial messages. */
  queue: PublishedMessage[] | undefined;
  /** The newest id this client has had (sent or deliberately skipped). */
  lastSeq: bigint | undefined;
  ended: boolean;
}

/**
 * Server-Sent Events for any number of routes of one app: `publish` fans a message out to every
 * open stream, `open(request, reply)` answers a GET with a stream. Every stream gets heartbeats; a
 * client that reconnects with Last-Event-ID (EventSource does it by itself) first gets what it
 * missed — from the buffer of the newest `maxReplayEvents`, or from `history` up to
 * `maxHistoryEvents` back — then the live
 * messages, with no gap and no duplicate; when neither reaches back far enough it gets
 * `event: reset` (reload your state) instead. Streams are capped per client address (429) and in
 * all (503); a client too slow to take what it is sent is dropped; the app's preClose ends them
 * all, so a shutdown does not wait for streams that never end by themselves.
 */
export function createEventStreams(app: FastifyInstance, settings: EventStreamsSettings = {}): EventStreams {
  const heartbeatMs = settings.heartbeatMs ?? 15_000;
  const maxReplayEvents = settings.maxReplayEvents ?? 1000;
  const maxHistoryEvents = settings.maxHistoryEvents ?? 10_000;
  const maxClientsPerAddress = settings.maxClientsPerAddress ?? 20;
  const maxClients = settings.maxClients ?? 200;
  const maxBufferedBytes = settings.maxBufferedBytes ?? 1024 * 1024;
  const retryMs = settings.retryMs ?? 2000;
  checkSettings({
    heartbeatMs,
    maxReplayEvents,
    maxHistoryEvents,
    maxClientsPerAddress,
    maxClients,
    maxBufferedBytes,
    retryMs,
  });
  if (settings.lastId !== undefined && !STREAM_ID.test(settings.lastId)) {
    throw new SettingsError('event streams', `lastId must be a decimal integer, got ${settings.lastId}`);
  }
  const { history, onActive } = settings;

  const buffer = new ReplayBuffer(maxReplayEvents);
  const clients = new Set<Client>();
  const perAddress = new Map<string, number>();
  /** The newest id published (or the one before the first). */
  let lastSeq = settings.lastId === undefined ? BigInt(Date.now()) * 1000n : BigInt(settings.lastId);
  /** Everything after this id is in the buffer. */
  let replayFloor = lastSeq;
  let heartbeat: NodeJS.Timeout | undefined;
  let closed = false;
  // a message is serialized once for all the clients that get it as it is
  const frames = {
    cache: new WeakMap<StreamMessage, string>(),
    of(message: StreamMessage): string {
      let frame = this.cache.get(message);
      if (frame === undefined) {
        frame = frameOf(message);
        this.cache.set(message, frame);
      }
      return frame;
    },
  };

  function write(client: Client, frame: string): void {
    if (client.ended) return;
    if (client.raw.writableLength > maxBufferedBytes) {
      client.log.warn('dropping a slow event stream client; it resumes with Last-Event-ID');
      end(client);
      return;
    }
    client.raw.write(frame);
  }

  /** Sends a message unless the client has had its id; while the client catches up, queues it. */
  function deliver(client: Client, message: StreamMessage, options: { queue: boolean }): void {
    const seq = message.id === undefined ? undefined : BigInt(message.id);
    if (options.queue && client.queue !== undefined && seq !== undefined) {
      client.queue.push(message as PublishedMessage);
      return;
    }
    if (seq !== undefined) {
      if (client.lastSeq !== undefined && seq <= client.lastSeq) return;
      client.lastSeq = seq;
    }
    const selected = client.select === undefined ? message : client.select(message);
    if (selected !== undefined) write(client, selected === message ? frames.of(message) : frameOf(selected));
  }

  function goLive(client: Client): void {
    const queued = client.queue ?? [];
    client.queue = undefined;
    for (const message of queued) deliver(client, message, { queue: false });
  }

  function end(client: Client): void {
    if (client.ended) return;
    client.ended = true;
    clients.delete(client);
    const count = (perAddress.get(client.address) ?? 1) - 1;
    if (count === 0) perAddress.delete(client.address);
    else perAddress.set(client.address, count);
    client.raw.end();
    if (clients.size === 0) {
      clearInterval(heartbeat);
      heartbeat = undefined;
      onActive?.(false);
    }
  }

  async function catchUp(client: Client, start: Start, options: OpenOptions): Promise<void> {
    switch (start.kind) {
      case 'buffer':
        client.lastSeq = start.after;
        for (const message of buffer.after(start.after)) deliver(client, message, { queue: false });
        return goLive(client);
      case 'live':
        client.lastSeq = start.after;
        return goLive(client);
      case 'history':
        client.lastSeq = start.after;
        for await (const page of history?.(start.after.toString()) ?? []) {
          if (client.ended) return;
          for (const message of page) deliver(client, message, { queue: false });
        }
        return goLive(client);
      case 'reset':
        client.lastSeq = lastSeq;
        write(client, frameOf({ id: lastSeq.toString(), event: 'reset', data: { reason: start.reason } }));
        break;
      case 'fresh':
        break;
    }
    for (const message of (await options.initial?.()) ?? []) deliver(client, message, { queue: false });
    goLive(client);
  }

  app.addHook('preClose', async () => streams.close());

  const streams: EventStreams = {
    publish(event, data, options = {}) {
      let seq: bigint;
      if (options.id === undefined) {
        seq = lastSeq + 1n;
      } else {
        if (!STREAM_ID.test(options.id))
          throw new StreamIdError(`stream id ${options.id} is not a decimal integer`);
        seq = BigInt(options.id);
        if (seq <= lastSeq)
          throw new StreamIdError(`stream id ${options.id} is not above the last, ${lastSeq}`);
      }
      lastSeq = seq;
      const message: PublishedMessage = { id: seq.toString(), seq, event, data };
      const evicted = buffer.push(message);
      if (evicted !== undefined) replayFloor = evicted.seq;
      for (const client of clients) deliver(client, message, { queue: true });
      return message.id;
    },

    async open(request, reply, options = {}) {
      if (closed) return sendError(reply, 503, { message: 'the service is shutting down', retryAfterS: 1 });
      if (clients.size >= maxClients) {
        return sendError(reply, 503, { message: `more than ${maxClients} open streams`, retryAfterS: 5 });
      }
      const address = request.ip;
      const fromAddress = perAddress.get(address) ?? 0;
      if (fromAddress >= maxClientsPerAddress) {
        return sendError(reply, 429, {
          message: `more than ${maxClientsPerAddress} open streams from ${address}`,
          retryAfterS: 5,
        });
      }
      const start = startOf(request.headers['last-event-id'], {
        lastSeq,
        replayFloor,
        maxReplayEvents,
        hasHistory: history !== undefined,
        maxHistoryEvents,
      });

      reply.hijack();
      const raw = reply.raw;
      raw.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      raw.write(`retry: ${retryMs}\n\n`);
      const client: Client = {
        raw,
        address,
        log: request.log,
        select: options.select,
        queue: [],
        lastSeq: undefined,
        ended: false,
      };
      clients.add(client);
      perAddress.set(address, fromAddress + 1);
      raw.on('close', () => end(client));
      if (clients.size === 1) {
        onActive?.(true);
        heartbeat = setInterval(() => {
          const frame = `: heartbeat ${new Date().toISOString()}\n\n`;
          for (const c of clients) write(c, frame);
        }, heartbeatMs);
        heartbeat.unref();
      }
      try {
        await catchUp(client, start, options);
      } catch (error) {
        request.log.error(`event stream could not catch up: ${describeError(error)}`);
        end(client);
      }
    },

    get clientCount() {
      return clients.size;
    },

    close() {
      closed = true;
      for (const client of [...clients]) end(client);
    },
  };
  return streams;
}

/** One SSE message; the data is JSON, which never holds a raw line break. */
function frameOf(message: StreamMessage): string {
  const id = message.id === undefined ? '' : `id: ${message.id}\n`;
  return `${id}event: ${message.event}\ndata: ${JSON.stringify(message.data)}\n\n`;
}

function checkSettings(values: Readonly<Record<string, number>>): void {
  const minimum: Readonly<Record<string, number>> = {
    heartbeatMs: 10,
    maxReplayEvents: 0,
    maxHistoryEvents: 0,
    maxClientsPerAddress: 1,
    maxClients: 1,
    maxBufferedBytes: 1024,
    retryMs: 0,
  };
  const problems = Object.entries(values)
    .filter(([name, value]) => !Number.isInteger(value) || value < (minimum[name] ?? 0))
    .map(([name, value]) => `${name} must be an integer >= ${minimum[name]}, got ${value}`);
  if (problems.length > 0) throw new SettingsError('event streams', problems);
}
