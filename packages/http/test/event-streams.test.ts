// createEventStreams over a real listening server and fetch-based SSE clients.
import { connect } from 'node:net';
import { createServiceRegistry } from '@streamkit/runtime';
import { type EventStreamClient, openEventStream } from '@streamkit/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createEventStreams,
  createHttpApp,
  type EventStreams,
  type EventStreamsSettings,
  type HttpApp,
  type OpenOptions,
  type StreamMessage,
} from '../src/index.ts';

let app: HttpApp | undefined;
const clients: EventStreamClient[] = [];

afterEach(async () => {
  for (const client of clients.splice(0)) await client.close();
  await app?.close();
  app = undefined;
});

async function serve(
  settings: EventStreamsSettings,
  options: OpenOptions = {},
): Promise<{ streams: EventStreams; url: string }> {
  const created = await createHttpApp({
    registry: createServiceRegistry('event-streams-test'),
    logger: false,
  });
  const streams = createEventStreams(created, settings);
  created.get('/stream', (request, reply) => streams.open(request, reply, options));
  const address = await created.listen({ port: 0, host: '127.0.0.1' });
  app = created;
  return { streams, url: `${address}/stream` };
}

function open(url: string, lastEventId?: string): EventStreamClient {
  const client = openEventStream(url, lastEventId === undefined ? {} : { lastEventId });
  clients.push(client);
  return client;
}

const data = (client: EventStreamClient, name?: string) =>
  client.events(name).map((m) => JSON.parse(m.data ?? 'null'));

describe('createEventStreams', () => {
  it('sends published messages with increasing ids, and heartbeats', async () => {
    const { streams, url } = await serve({ heartbeatMs: 50 });
    const client = open(url);
    const response = await client.response;
    expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    await expect.poll(() => streams.clientCount).toBe(1);
    streams.publish('tick', { n: 1 });
    streams.publish('tick', { n: 2 });
    await expect.poll(() => data(client, 'tick')).toEqual([{ n: 1 }, { n: 2 }]);
    const [first, second] = client.events('tick');
    expect(BigInt(second?.id ?? 0)).toBe(BigInt(first?.id ?? 0) + 1n);
    expect(client.messages[0]?.retry).toBe('2000');
    await expect.poll(() => client.messages.some((m) => m.comment?.startsWith('heartbeat'))).toBe(true);
  });

  it('replays what a client missed after its Last-Event-ID from the buffer, then goes on live', async () => {
    const { streams, url } = await serve({});
    const first = open(url);
    await expect.poll(() => streams.clientCount).toBe(1);
    streams.publish('tick', 1);
    await expect.poll(() => first.events().length).toBe(1);
    const lastSeen = first.events()[0]?.id;
    await first.close();
    await expect.poll(() => streams.clientCount).toBe(0);
    streams.publish('tick', 2);
    streams.publish('tick', 3);

    const resumed = open(url, lastSeen);
    await expect.poll(() => data(resumed)).toEqual([2, 3]);
    streams.publish('tick', 4);
    await expect.poll(() => data(resumed)).toEqual([2, 3, 4]);
  });

  it('sends event: reset for an id older than the buffer, or not of this stream, then goes on live', async () => {
    const { streams, url } = await serve({ maxReplayEvents: 3 });
    const ids = [1, 2, 3, 4, 5].map((n) => streams.publish('tick', n));
    for (const lastEventId of [ids[0], 'not-an-id', String(BigInt(ids[4] ?? 0) + 100n)]) {
      const client = open(url, lastEventId);
      await expect.poll(() => client.events().length, { message: String(lastEventId) }).toBe(1);
      const [reset] = client.events();
      expect(reset?.event).toBe('reset');
      expect(reset?.id).toBe(ids[4]); // a reconnect after the reset resumes from here
      expect(JSON.parse(reset?.data ?? '{}').reason).toContain(String(lastEventId));
    }
    const lastKept = open(url, ids[1]); // everything after it is still kept: no reset
    await expect.poll(() => data(lastKept)).toEqual([3, 4, 5]);
  });

  it('replays from a history source past the buffer, with no gap and no duplicate while live messages arrive', async () => {
    const log: StreamMessage[] = Array.from({ length: 10 }, (_, i) => ({
      id: String(i + 1),
      event: 'row',
      data: i + 1,
    }));
    let streams: EventStreams | undefined;
    const served = await serve({
      maxReplayEvents: 2,
      lastId: '10',
      async *history(afterId) {
        const rows = log.filter((m) => BigInt(m.id ?? 0) > BigInt(afterId));
        yield rows.slice(0, 3);
        // a message is published while the client is still being replayed to
        log.push({ id: '11', event: 'row', data: 11 });
        streams?.publish('row', 11, { id: '11' });
        yield rows.slice(3);
        yield [{ id: '11', event: 'row', data: 11 }];
      },
    });
    streams = served.streams;
    const client = open(served.url, '4');
    await expect.poll(() => data(client)).toEqual([5, 6, 7, 8, 9, 10, 11]);
    streams.publish('row', 12, { id: '12' });
    await expect.poll(() => data(client)).toEqual([5, 6, 7, 8, 9, 10, 11, 12]);
    expect(() => streams?.publish('row', 12, { id: '12' })).toThrow(/not above/);
  });

  it('does not replay more than maxHistoryEvents from the history to a new stream (Last-Event-ID: 0)', async () => {
    let historyReads = 0;
    const served = await serve({
      maxReplayEvents: 2,
      maxHistoryEvents: 5,
      lastId: '100',
      async *history(afterId) {
        historyReads++;
        yield [{ id: String(BigInt(afterId) + 1n), event: 'row', data: 'old' }];
      },
    });
    const fromZero = open(served.url, '0');
    await expect.poll(() => fromZero.events().length).toBe(1);
    expect(fromZero.events()[0]?.event).toBe('reset');
    expect(JSON.parse(fromZero.events()[0]?.data ?? '{}').reason).toBe(
      'Last-Event-ID 0 is further back than 5 events',
    );
    const recent = open(served.url, '95'); // within the bound: replayed from the history
    await expect.poll(() => data(recent)).toEqual(['old']);
    expect(historyReads).toBe(1);
  });

  it('sends initial messages first and what select keeps for each client', async () => {
    const { streams, url } = await serve(
      { maxReplayEvents: 0 },
      {
        initial: () => [{ event: 'snapshot', data: { evens: 0 } }],
        // initial messages pass through select too
        select: (m) =>
          m.event === 'snapshot'
            ? m
            : (m.data as number) % 2 === 0
              ? { ...m, data: { even: m.data } }
              : undefined,
      },
    );
    const client = open(url, '123'); // no replay: the id is ignored, the stream starts anew
    await expect.poll(() => client.events().length).toBe(1);
    for (const n of [1, 2, 3, 4]) streams.publish('n', n);
    await expect
      .poll(() => client.events().map((m) => [m.event, JSON.parse(m.data ?? 'null')]))
      .toEqual([
        ['snapshot', { evens: 0 }],
        ['n', { even: 2 }],
        ['n', { even: 4 }],
      ]);
  });

  it('caps streams per client address (429) and in all (503), in the common error body', async () => {
    const perAddress = await serve({ maxClientsPerAddress: 2 });
    open(perAddress.url);
    open(perAddress.url);
    await expect.poll(() => perAddress.streams.clientCount).toBe(2);
    const third = await fetch(perAddress.url);
    expect(third.status).toBe(429);
    expect(third.headers.get('retry-after')).toBe('5');
    expect(await third.json()).toEqual({
      error: 'too_many_requests',
      message: 'more than 2 open streams from 127.0.0.1',
    });
    for (const client of clients.splice(0)) await client.close();
    await app?.close();

    const total = await serve({ maxClients: 1 });
    open(total.url);
    await expect.poll(() => total.streams.clientCount).toBe(1);
    const second = await fetch(total.url);
    expect(second.status).toBe(503);
    expect(await second.json()).toEqual({ error: 'unavailable', message: 'more than 1 open streams' });
  });

  it('drops a client that does not read what it is sent', async () => {
    const { streams, url } = await serve({ maxBufferedBytes: 64 * 1024 });
    const { port, pathname } = new URL(url);
    const socket = connect(Number(port), '127.0.0.1');
    socket.write(`GET ${pathname} HTTP/1.1\r\nHost: x\r\n\r\n`);
    socket.pause(); // reads nothing: the kernel buffers fill, then the server's
    try {
      await expect.poll(() => streams.clientCount).toBe(1);
      const big = 'x'.repeat(64 * 1024);
      await expect
        .poll(
          () => {
            for (let i = 0; i < 16; i++) streams.publish('big', big);
            return streams.clientCount;
          },
          { timeout: 10_000 },
        )
        .toBe(0);
    } finally {
      socket.destroy();
    }
  });

  it('ends every stream when the app closes, and tells the source when clients come and go', async () => {
    const active: boolean[] = [];
    const { streams, url } = await serve({ onActive: (a) => active.push(a) });
    const client = open(url);
    await expect.poll(() => streams.clientCount).toBe(1);
    expect(active).toEqual([true]);
    const started = Date.now();
    await app?.close();
    app = undefined;
    expect(Date.now() - started).toBeLessThan(2000);
    await expect.poll(() => client.ended).toBe(true);
    expect(active).toEqual([true, false]);
  });
});
