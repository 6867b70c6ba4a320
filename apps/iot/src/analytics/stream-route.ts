import type { FastifyInstance } from 'fastify';
import type { LiveFeed } from './live-feed.ts';

/** GET /api/stream — Server-Sent Events: `event: alert` and `event: window`, JSON data. */
export function registerStream(app: FastifyInstance, feed: LiveFeed, heartbeatMs = 15_000): void {
  const open = new Set<() => void>();
  // SSE responses never end by themselves: end them before the server waits for its connections
  app.addHook('preClose', async () => {
    for (const end of [...open]) end();
  });
  app.get('/api/stream', async (_request, reply) => {
    const raw = reply.raw;
    let unsubscribe: () => void;
    try {
      unsubscribe = feed.subscribe((event) => {
        // a subscriber this far behind is dropped; EventSource reconnects by itself
        if (raw.writableLength > 1024 * 1024) return end();
        raw.write(`event: ${event.kind}\ndata: ${JSON.stringify(event.data)}\n\n`);
      });
    } catch (error) {
      return reply
        .code(503)
        .header('retry-after', '5')
        .send({ error: (error as Error).message });
    }
    reply.hijack();
    raw.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    raw.write('retry: 2000\n\n');
    const heartbeat = setInterval(() => raw.write(': heartbeat\n\n'), heartbeatMs);
    let ended = false;
    function end(): void {
      if (ended) return;
      ended = true;
      clearInterval(heartbeat);
      unsubscribe();
      open.delete(end);
      raw.end();
    }
    open.add(end);
    raw.on('close', end);
  });
}
