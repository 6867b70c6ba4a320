import { createEventStreams, type EventStreams } from '@streamkit/http';
import type { FastifyInstance } from 'fastify';
import type { LiveFeed } from './live-feed.ts';
import { FLEET_LIMIT, type LiveStore } from './live-store.ts';

/**
 * GET /api/stream — Server-Sent Events: first `event: snapshot` (`{devices}`: each device's newest
 * window, as GET /api/live/devices), then `event: window` and `event: alert`, JSON data, each with
 * an id. The snapshot is read after the stream is subscribed, so no change falls between the two;
 * a window may arrive again at an older version than the snapshot's: keep the higher `version`.
 * A dashboard that reconnects with Last-Event-ID gets what it missed (the newest 1000), or
 * `event: reset` and a new snapshot when it was gone longer.
 */
export function registerStream(
  app: FastifyInstance,
  deps: { feed: LiveFeed; live: LiveStore },
  heartbeatMs = 15_000,
): EventStreams {
  const { feed, live } = deps;
  // windows are polled only while a dashboard is open
  const streams = createEventStreams(app, { heartbeatMs, onActive: (active) => feed.setWatched(active) });
  feed.subscribe((event) => streams.publish(event.kind, event.data));
  const snapshot = async () => [
    { event: 'snapshot', data: { devices: await live.latestPerDevice(FLEET_LIMIT) } },
  ];
  app.get('/api/stream', (request, reply) => streams.open(request, reply, { initial: snapshot }));
  return streams;
}
