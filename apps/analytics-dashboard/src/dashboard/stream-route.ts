import type { FastifyInstance } from 'fastify';
import { isViewName, VIEW_NAMES, type ViewName } from '../views/catalog.ts';
import { ViewsSettingsError } from '../views/errors.ts';
import type { ViewsBroadcast, ViewsSnapshot } from './views-broadcast.ts';

export interface StreamSettings {
  /** A comment line this often keeps proxies from timing an idle stream out. */
  readonly heartbeatMs: number;
  /** Open streams at most; more get 503. */
  readonly maxSubscribers: number;
  /** A subscriber this far behind (bytes queued on its socket) is dropped; EventSource reconnects. */
  readonly maxBufferedBytes: number;
}

/**
 * GET /api/stream?views=a,b — Server-Sent Events: `event: views` with `{seq, at, views: {name: rows}}`,
 * first the current snapshot, then a new one whenever the views changed (checked every poll
 * interval, <= 1 s). `views` (default: all) must name catalog views.
 */
export function registerViewsStream(
  app: FastifyInstance,
  deps: { broadcast: ViewsBroadcast; settings: StreamSettings },
): void {
  const { broadcast, settings } = deps;
  const problems: string[] = [];
  if (!Number.isInteger(settings.heartbeatMs) || settings.heartbeatMs < 10)
    problems.push('heartbeatMs must be >= 10');
  if (!Number.isInteger(settings.maxSubscribers) || settings.maxSubscribers < 1)
    problems.push('maxSubscribers must be >= 1');
  if (!Number.isInteger(settings.maxBufferedBytes) || settings.maxBufferedBytes < 1024)
    problems.push('maxBufferedBytes must be >= 1024');
  if (problems.length > 0) throw new ViewsSettingsError('views stream', problems);
  const open = new Set<() => void>();
  app.addHook('preClose', async () => {
    for (const end of [...open]) end();
  });

  app.get<{ Querystring: { views?: string } }>(
    '/api/stream',
    {
      schema: {
        querystring: {
          type: 'object',
          properties: { views: { type: 'string', maxLength: 1000 } },
          additionalProperties: false,
        },
      },
    },
    async (request, reply) => {
      const requested = (request.query.views ?? '').split(',').filter((v) => v !== '');
      const unknown = requested.filter((v) => !isViewName(v));
      if (unknown.length > 0)
        return reply.code(400).send({
          error: 'invalid request',
          fields: [
            {
              field: 'views',
              message: `unknown view(s) ${unknown.join(', ')}; known: ${VIEW_NAMES.join(', ')}`,
            },
          ],
        });
      if (open.size >= settings.maxSubscribers)
        return reply.code(503).header('retry-after', '5').send({ error: 'too many stream subscribers' });
      const names = (requested.length > 0 ? requested : VIEW_NAMES) as readonly ViewName[];
      const raw = reply.raw;
      reply.hijack();
      raw.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      raw.write('retry: 2000\n\n');
      let lastSeq = 0;
      let lastBody = '';
      let ended = false;
      const send = (snapshot: ViewsSnapshot) => {
        if (ended || snapshot.seq <= lastSeq) return;
        if (raw.writableLength > settings.maxBufferedBytes) {
          end();
          return;
        }
        lastSeq = snapshot.seq;
        const views = Object.fromEntries(names.map((n) => [n, snapshot.views[n]]));
        // a change elsewhere (another view, or a re-read with nothing new) is not worth a push
        const body = JSON.stringify(views);
        if (body === lastBody) return;
        lastBody = body;
        raw.write(
          `id: ${snapshot.seq}\nevent: views\ndata: ${JSON.stringify({ seq: snapshot.seq, at: snapshot.at, views })}\n\n`,
        );
      };
      const unsubscribe = broadcast.subscribe(send);
      const heartbeat = setInterval(
        () => raw.write(`: heartbeat ${new Date().toISOString()}\n\n`),
        settings.heartbeatMs,
      );
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
      try {
        send(await broadcast.current());
      } catch (error) {
        request.log.error({ err: error }, 'views stream: first snapshot failed');
        end();
      }
    },
  );
}
