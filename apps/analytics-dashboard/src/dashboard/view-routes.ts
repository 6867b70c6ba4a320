import { HttpError } from '@streamkit/http';
import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import { isViewName, VIEW_NAMES, VIEWS } from '../views/catalog.ts';
import type { ViewReader } from './view-reader.ts';

const ViewParams = Type.Object({ name: Type.String({ minLength: 1, maxLength: 100 }) });
const ViewQuerystring = Type.Object(
  {
    from: Type.Optional(Type.String({ format: 'date-time', description: 'windows starting at or after' })),
    to: Type.Optional(Type.String({ format: 'date-time', description: 'windows starting before' })),
    limit: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 1000, description: 'latest windows (default 60)' }),
    ),
  },
  { additionalProperties: false },
);

/**
 * GET /api/views — the catalog; GET /api/views/:name?from&to&limit — a view's latest windows in the
 * range, oldest first, typed by the catalog. Names outside the catalog are refused (404, naming the
 * known ones) before any SQL is built.
 */
export async function viewRoutes(app: FastifyInstance, deps: { reader: ViewReader }): Promise<void> {
  app.get('/api/views', async () => ({
    views: VIEW_NAMES.map((name) => ({
      name,
      description: VIEWS[name].description,
      windowMs: VIEWS[name].windowMs,
      columns: VIEWS[name].columns,
    })),
  }));

  app.get<{ Params: { name: string }; Querystring: { from?: string; to?: string; limit?: number } }>(
    '/api/views/:name',
    { schema: { params: ViewParams, querystring: ViewQuerystring } },
    async (request) => {
      const { name } = request.params;
      if (!isViewName(name))
        throw new HttpError(404, `unknown view ${JSON.stringify(name)}; known: ${VIEW_NAMES.join(', ')}`);
      const { from, to, limit = 60 } = request.query;
      const range = {
        from: from === undefined ? undefined : new Date(from),
        to: to === undefined ? undefined : new Date(to),
      };
      if (range.from !== undefined && range.to !== undefined && range.from >= range.to)
        throw new HttpError(400, {
          message: 'invalid query string',
          fields: [{ field: 'to', message: 'must be after from' }],
        });
      return deps.reader.read(name, { ...range, limit });
    },
  );
}
