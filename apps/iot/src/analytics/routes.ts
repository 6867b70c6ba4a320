import { HttpError, requireApiKey, sendError } from '@streamkit/http';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import Type from 'typebox';
import {
  QueryBusyError,
  QueryFailedError,
  QueryRejectedError,
  QueryTimeoutError,
  ResultTooLargeError,
} from './errors.ts';
import type { LakeDatabase, QueryLimits } from './lake-database.ts';
import type { LakeQueries } from './lake-queries.ts';
import { FLEET_LIMIT, type LiveStore } from './live-store.ts';
import { MAX_FLEET_HOURS, requestRange } from './query-range.ts';

const DeviceId = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9][A-Za-z0-9._:-]*$' });
const Instant = Type.String({ format: 'date-time' });
const HOUR = 3_600_000;

export interface RouteDeps {
  readonly db: LakeDatabase;
  readonly queries: LakeQueries;
  readonly live: LiveStore;
  readonly limits: QueryLimits;
  /** The time limit of the API's own lake queries, queueing included. */
  readonly queryTimeoutMs: number;
  /** x-api-key of POST /api/sql; undefined, the endpoint is off (403). */
  readonly sqlKey: string | undefined;
}

export function registerRoutes(app: FastifyInstance, deps: RouteDeps): void {
  const { queries, live } = deps;
  const ticket = (request: FastifyRequest) => ({ client: request.ip, timeoutMs: deps.queryTimeoutMs });
  app.get(
    '/api/devices/:id/series',
    {
      schema: {
        params: Type.Object({ id: DeviceId }),
        querystring: Type.Object(
          { from: Type.Optional(Instant), to: Type.Optional(Instant) },
          { additionalProperties: false },
        ),
      },
    },
    async (request) => {
      const { id } = request.params as { id: string };
      const { from, to } = requestRange(request.query as { from?: string; to?: string }, 24);
      const windows = await lakeAnswer(() => queries.series(id, from, to, ticket(request)));
      return { deviceId: id, from, to, windows };
    },
  );
  app.get(
    '/api/anomalies',
    {
      schema: {
        querystring: Type.Object(
          {
            deviceId: Type.Optional(DeviceId),
            kind: Type.Optional(Type.Enum(['zscore', 'threshold', 'stuck', 'offline'])),
            from: Type.Optional(Instant),
            to: Type.Optional(Instant),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (request) => {
      const q = request.query as {
        deviceId?: string;
        kind?: string;
        from?: string;
        to?: string;
        limit?: number;
      };
      const { from, to } = requestRange(q, 24);
      const filter = { deviceId: q.deviceId, kind: q.kind, from, to, limit: q.limit ?? 100 };
      return { anomalies: await lakeAnswer(() => queries.anomalies(filter, ticket(request))) };
    },
  );
  app.get(
    '/api/fleet',
    {
      schema: {
        querystring: Type.Object(
          { hours: Type.Optional(Type.Number({ minimum: 0.1, maximum: MAX_FLEET_HOURS })) },
          { additionalProperties: false },
        ),
      },
    },
    async (request) => {
      const hours = (request.query as { hours?: number }).hours ?? 1;
      const to = new Date();
      const from = new Date(to.getTime() - hours * HOUR);
      return { from, to, devices: await lakeAnswer(() => queries.fleet(from, to, ticket(request))) };
    },
  );
  app.post(
    '/api/sql',
    {
      onRequest: deps.sqlKey === undefined ? sqlEndpointOff : requireApiKey(deps.sqlKey),
      schema: {
        body: Type.Object(
          { sql: Type.String({ minLength: 1, maxLength: 10_000 }) },
          { additionalProperties: false },
        ),
      },
    },
    async (request) => {
      const { sql } = request.body as { sql: string };
      try {
        return await lakeAnswer(() => deps.db.userQuery(sql, deps.limits, request.ip));
      } catch (error) {
        // the caller's query, not the service: 400 naming `sql`, 408 past the time limit, 413 past the byte cap
        if (error instanceof QueryRejectedError) throw badSql('query rejected', error.message);
        if (error instanceof QueryFailedError) throw badSql('query failed', error.message);
        if (error instanceof QueryTimeoutError) throw new HttpError(408, error.message);
        if (error instanceof ResultTooLargeError)
          throw new HttpError(413, {
            message: 'result too large',
            fields: [{ field: 'sql', message: error.message }],
          });
        throw error;
      }
    },
  );
  app.get('/api/live/devices', async () => ({ devices: await live.latestPerDevice(FLEET_LIMIT) }));
  app.get(
    '/api/live/devices/:id/windows',
    { schema: { params: Type.Object({ id: DeviceId }) } },
    async (request) => ({ windows: await live.deviceWindows((request.params as { id: string }).id, 60) }),
  );
}

/** A lake query's answer; too many in flight is 429 (this client) or 503 (everyone), a timeout 503. */
async function lakeAnswer<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof QueryBusyError)
      throw new HttpError(error.scope === 'client' ? 429 : 503, { message: error.message, retryAfterS: 1 });
    throw error;
  }
}

async function sqlEndpointOff(_request: FastifyRequest, reply: FastifyReply) {
  return sendError(reply, 403, 'the SQL endpoint is off: the service has no ANALYTICS_SQL_KEY');
}

function badSql(what: string, reason: string): HttpError {
  return new HttpError(400, { message: what, fields: [{ field: 'sql', message: reason }] });
}
