import { createEventStreams, type EventStreams } from '@streamkit/http';
import type { FastifyInstance } from 'fastify';
import type { LiveFeed } from './live-feed.ts';

/**
 * GET /api/stream — Server-Sent Events: `event: alert` and `event: window`, JSON data, each with
 * an id; a dashboard that reconnects with Last-Event-ID gets what it missed (the newest 1000), or
 * `event: reset` (reload the fleet) when it was gone longer.
 */
export function registerStream(app: FastifyInstance, feed: LiveFeed, heartbeatMs = 15_000): EventStreams {
  // windows are polled only while a dashboard is open
  const streams = createEventStreams(app, { heartbeatMs, onActive: (active) => feed.setWatched(active) });
  feed.subscribe((event) => streams.publish(event.kind, event.data));
  app.get('/api/stream', (request, reply) => streams.open(request, reply));
  return streams;
}
