import type { FastifyInstance } from 'fastify';
import type { AlertEvent } from './alert-events.ts';
import type { AlertFeed } from './alert-feed.ts';
import type { AlertStore } from './alert-store.ts';
import { AlertsSettingsError } from './errors.ts';

export interface AlertStreamSettings {
  /** A comment line this often keeps proxies and the browser from timing the stream out (15 s). */
  readonly heartbeatMs: number;
  /** A subscriber this far behind (bytes queued on its socket) is dropped; it resumes with Last-Event-ID. */
  readonly maxBufferedBytes: number;
}

const REPLAY_PAGE = 500;
const EVENT_ID = /^\d{1,19}$/;

/**
 * GET /alerts/stream — Server-Sent Events: `event: alert` (a new alert) and `event: ack` (an
 * acknowledgement), each with `id:` = the change-log id and the alert JSON as data. A client that
 * reconnects with Last-Event-ID (EventSource does it by itself) first gets what it missed, from
 * Postgres, then the live events, with no gap and no duplicate.
 */
export function registerAlertStream(
  app: FastifyInstance,
  deps: { feed: AlertFeed; store: AlertStore; settings: AlertStreamSettings },
): void {
  const { feed, store, settings } = deps;
  if (!Number.isInteger(settings.heartbeatMs) || settings.heartbeatMs < 10)
    throw new AlertsSettingsError('alert stream', [
      `heartbeatMs must be an integer >= 10, got ${settings.heartbeatMs}`,
    ]);
  if (!Number.isInteger(settings.maxBufferedBytes) || settings.maxBufferedBytes < 1024)
    throw new AlertsSettingsError('alert stream', [
      `maxBufferedBytes must be an integer >= 1024, got ${settings.maxBufferedBytes}`,
    ]);
  const open = new Set<() => void>();

  // SSE responses never end by themselves: end them before the server waits for its connections
  app.addHook('preClose', async () => {
    for (const end of [...open]) end();
  });

  app.get('/alerts/stream', async (request, reply) => {
    const header = request.headers['last-event-id'];
    const resumeFrom = typeof header === 'string' && EVENT_ID.test(header.trim()) ? header.trim() : undefined;

    const pending: AlertEvent[] = [];
    let live = false;
    let lastSent = BigInt(resumeFrom ?? feed.position);
    const raw = reply.raw;
    // throws TooManySubscribersError (→ 503) before anything is written
    const unsubscribe = feed.subscribe((event) => (live ? send(event) : pending.push(event)));

    reply.hijack();
    raw.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    raw.write('retry: 2000\n\n');

    const heartbeat = setInterval(
      () => raw.write(`: heartbeat ${new Date().toISOString()}\n\n`),
      settings.heartbeatMs,
    );
    let ended = false;
    const end = () => {
      if (ended) return;
      ended = true;
      clearInterval(heartbeat);
      unsubscribe();
      open.delete(end);
      raw.end();
    };
    open.add(end);
    raw.on('close', end);

    function send(event: AlertEvent): void {
      if (ended) return;
      const id = BigInt(event.eventId);
      if (id <= lastSent) return;
      if (raw.writableLength > settings.maxBufferedBytes) {
        request.log.warn('dropping a slow alert stream subscriber; it resumes with Last-Event-ID');
        end();
        return;
      }
      lastSent = id;
      raw.write(`id: ${event.eventId}\nevent: ${event.kind}\ndata: ${JSON.stringify(event.alert)}\n\n`);
    }

    try {
      if (resumeFrom !== undefined) {
        for (;;) {
          const missed = await store.eventsAfter(lastSent.toString(), REPLAY_PAGE);
          for (const event of missed) send(event);
          if (missed.length < REPLAY_PAGE || ended) break;
        }
      }
      live = true;
      for (const event of pending.splice(0)) send(event);
    } catch (error) {
      request.log.error({ err: error }, 'alert stream replay failed');
      end();
    }
  });
}
