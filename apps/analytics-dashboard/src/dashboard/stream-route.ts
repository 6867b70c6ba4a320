import { createEventStreams, HttpError, type StreamMessage } from '@streamkit/http';
import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import { isViewName, VIEW_NAMES, type ViewName } from '../views/catalog.ts';
import type { ViewsBroadcast, ViewsSnapshot } from './views-broadcast.ts';

export interface StreamSettings {
  /** A comment line this often keeps proxies from timing an idle stream out. */
  readonly heartbeatMs: number;
  /** Open streams at most (DASHBOARD_MAX_SUBSCRIBERS); one more is 503. */
  readonly maxClients: number;
}

const StreamQuery = Type.Object(
  { views: Type.Optional(Type.String({ maxLength: 1000 })) },
  { additionalProperties: false },
);

/**
 * GET /api/stream?views=a,b — Server-Sent Events: `event: views` with `{seq, at, views: {name: rows}}`,
 * first the current snapshot, then a new one whenever the views it asked for changed (checked every
 * poll interval, <= 1 s). `views` (default: all) must name catalog views. Each message is a whole
 * snapshot, so a reconnecting page needs no replay: it starts again with the current one. The
 * views are read only while a page is open.
 */
export function registerViewsStream(
  app: FastifyInstance,
  deps: { broadcast: ViewsBroadcast; settings: StreamSettings },
): void {
  const { broadcast, settings } = deps;
  let unsubscribe: (() => void) | undefined;
  const streams = createEventStreams(app, {
    heartbeatMs: settings.heartbeatMs,
    maxClients: settings.maxClients,
    maxReplayEvents: 0,
    onActive(active) {
      if (active) unsubscribe = broadcast.subscribe((snapshot) => streams.publish('views', snapshot));
      else unsubscribe?.();
    },
  });

  app.get<{ Querystring: { views?: string } }>(
    '/api/stream',
    { schema: { querystring: StreamQuery } },
    async (request, reply) => {
      const requested = (request.query.views ?? '').split(',').filter((v) => v !== '');
      const unknown = requested.filter((v) => !isViewName(v));
      if (unknown.length > 0) {
        throw new HttpError(400, {
          message: 'invalid query string',
          fields: [
            {
              field: 'views',
              message: `unknown view(s) ${unknown.join(', ')}; known: ${VIEW_NAMES.join(', ')}`,
            },
          ],
        });
      }
      const names = (requested.length > 0 ? requested : VIEW_NAMES) as readonly ViewName[];
      return streams.open(request, reply, {
        initial: async () => [{ event: 'views', data: await broadcast.current() }],
        select: snapshotsOf(names),
      });
    },
  );
}

/** One page's projection: the views it asked for, pushed only when they changed. */
function snapshotsOf(names: readonly ViewName[]): (message: StreamMessage) => StreamMessage | undefined {
  let lastSeq = 0;
  let lastBody = '';
  return (message) => {
    const snapshot = message.data as ViewsSnapshot;
    if (snapshot.seq <= lastSeq) return undefined;
    lastSeq = snapshot.seq;
    const views = Object.fromEntries(names.map((n) => [n, snapshot.views[n]]));
    // a change elsewhere (another view, or a re-read with nothing new) is not worth a push
    const body = JSON.stringify(views);
    if (body === lastBody) return undefined;
    lastBody = body;
    return { ...message, data: { seq: snapshot.seq, at: snapshot.at, views } };
  };
}
