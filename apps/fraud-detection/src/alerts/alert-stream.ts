import { createEventStreams, type EventStreams, type StreamMessage } from '@streamkit/http';
import type { FastifyInstance, onRequestHookHandler } from 'fastify';
import type { AlertEvent } from './alert-events.ts';
import type { AlertFeed } from './alert-feed.ts';
import type { AlertStore } from './alert-store.ts';

export interface AlertStreamSettings {
  /** A comment line this often keeps proxies and the browser from timing the stream out (15 s). */
  readonly heartbeatMs: number;
  /** Open streams in all (ALERTS_MAX_SUBSCRIBERS); one more is 503. */
  readonly maxClients: number;
  /** Open streams per client address; one more is 429. */
  readonly maxClientsPerAddress: number;
  /** A Last-Event-ID further back than this many change-log ids gets `event: reset`, not a replay. */
  readonly maxHistoryEvents: number;
}

const REPLAY_PAGE = 500;

/**
 * GET /alerts/stream — Server-Sent Events: `event: alert` (a new alert) and `event: ack` (an
 * acknowledgement), each with `id:` = the change-log id and the alert JSON as data. A client that
 * reconnects with Last-Event-ID (EventSource does it by itself) first gets what it missed — from
 * the stream's buffer, or from Postgres when it was gone longer (any replica can serve it, up to
 * `maxHistoryEvents` back; further is `event: reset`) — then the live events, with no gap and no
 * duplicate. The key or a page session (the console's) opens it.
 */
export function registerAlertStream(
  app: FastifyInstance,
  deps: { feed: AlertFeed; store: AlertStore; settings: AlertStreamSettings; canRead: onRequestHookHandler },
): EventStreams {
  const { feed, store, settings } = deps;
  const streams = createEventStreams(app, {
    heartbeatMs: settings.heartbeatMs,
    maxClients: settings.maxClients,
    maxClientsPerAddress: settings.maxClientsPerAddress,
    maxHistoryEvents: settings.maxHistoryEvents,
    // the change log's ids; read with the subscription below, in the same tick: no event between
    lastId: feed.position,
    history: (afterId) => changesAfter(store, afterId),
  });
  feed.subscribe((event) => streams.publish(event.kind, event.alert, { id: event.eventId }));
  app.get('/alerts/stream', { onRequest: deps.canRead }, (request, reply) => streams.open(request, reply));
  return streams;
}

async function* changesAfter(store: AlertStore, afterId: string): AsyncGenerator<StreamMessage[]> {
  let after = afterId;
  for (;;) {
    const events = await store.eventsAfter(after, REPLAY_PAGE);
    if (events.length > 0) yield events.map(messageOf);
    const last = events.at(-1);
    if (last === undefined || events.length < REPLAY_PAGE) return;
    after = last.eventId;
  }
}

function messageOf(event: AlertEvent): StreamMessage {
  return { id: event.eventId, event: event.kind, data: event.alert };
}
