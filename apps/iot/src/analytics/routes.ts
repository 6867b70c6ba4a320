import { HttpError } from '@streamkit/http';
import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import { QueryFailedError, QueryRejectedError, QueryTimeoutError } from './errors.ts';
import type { LakeDatabase, QueryLimits } from './lake-database.ts';
import type { LakeQueries } from './lake-queries.ts';
import { FLEET_LIMIT, type LiveStore } from './live-store.ts';

const DeviceId = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9][A-Za-z0-9._:-]*$' });
const Instant = Type.String({ format: 'date-time' });
const HOUR = 3_600_000;

function range(query: { from?: string; to?: string }, defaultMs: number): { from: Date; to: Date } {
  const to = query.to === undefined ? new Date() : new Date(query.to);
  const from = query.from === undefined ? new Date(to.getTime() - defaultMs) : new Date(query.from);
  return { from, to };
}

export interface RouteDeps {
  readonly db: LakeDatabase;
  readonly queries: LakeQueries;
  readonly live: LiveStore;
  readonly limits: QueryLimits;
}

export function registerRoutes(app: FastifyInstance, deps: RouteDeps): void {
  const { queries, live } = deps;
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
      const { from, to } = range(request.query as { from?: string; to?: string }, 24 * HOUR);
      return { deviceId: id, from, to, windows: await queries.series(id, from, to) };
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
      const { from, to } = range(q, 24 * HOUR);
      return {
        anomalies: await queries.anomalies({
          deviceId: q.deviceId,
          kind: q.kind,
          from,
          to,
          limit: q.limit ?? 100,
        }),
      };
    },
  );
  app.get(
    '/api/fleet',
    {
      schema: {
        querystring: Type.Object(
          { hours: Type.Optional(Type.Number({ minimum: 0.1, maximum: 720 })) },
          { additionalProperties: false },
        ),
      },
    },
    async (request) => {
      const hours = (request.query as { hours?: number }).hours ?? 1;
      const to = new Date();
      const from = new Date(to.getTime() - hours * HOUR);
      return { from, to, devices: await queries.fleet(from, to) };
    },
  );
  app.post(
    '/api/sql',
    {
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
        return await deps.db.userQuery(sql, deps.limits);
      } catch (error) {
        // the caller's query, not the service: 400 naming `sql` (or 408 when it ran too long)
        if (error instanceof QueryRejectedError) throw badSql('query rejected', error.message);
        if (error instanceof QueryFailedError) throw badSql('query failed', error.message);
        if (error instanceof QueryTimeoutError) throw new HttpError(408, error.message);
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

function badSql(what: string, reason: string): HttpError {
  return new HttpError(400, { message: what, fields: [{ field: 'sql', message: reason }] });
}
