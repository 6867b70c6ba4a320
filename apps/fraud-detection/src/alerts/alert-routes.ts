import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ErrorBodySchema, HttpError, requireApiKey } from '@streamkit/http';
import { ID_MAX_LENGTH, ID_PATTERN } from '@streamkit/schemas';
import type { onRequestHookHandler } from 'fastify';
import Type from 'typebox';
import { AlertRecord } from './alert-record.ts';
import type { AlertStore } from './alert-store.ts';
import { InvalidCursorError } from './errors.ts';

export const MAX_PAGE_SIZE = 200;
export const DEFAULT_PAGE_SIZE = 50;

const AlertId = Type.String({ minLength: 1, maxLength: ID_MAX_LENGTH, pattern: ID_PATTERN });

const ListQuery = Type.Object(
  {
    cardId: Type.Optional(Type.String({ minLength: 1, maxLength: ID_MAX_LENGTH, pattern: ID_PATTERN })),
    decision: Type.Optional(Type.Union([Type.Literal('review'), Type.Literal('decline')])),
    since: Type.Optional(Type.String({ format: 'date-time' })),
    acknowledged: Type.Optional(Type.Boolean()),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_PAGE_SIZE })),
    cursor: Type.Optional(Type.String({ minLength: 1, maxLength: 512 })),
  },
  { additionalProperties: false },
);

const AckBody = Type.Object(
  {
    by: Type.String({ minLength: 1, maxLength: 100 }),
    note: Type.Optional(Type.String({ maxLength: 1000 })),
  },
  { additionalProperties: false },
);

export interface AlertRoutesOptions {
  readonly store: AlertStore;
  /** Required on POST /alerts/:alertId/ack (x-api-key): a page session may read, not acknowledge. */
  readonly apiKey: string;
  /** The reads' hook: the key or a page session (requireCredential). */
  readonly canRead: onRequestHookHandler;
}

/**
 * GET /alerts, GET /alerts/:alertId (the key or a page session), POST /alerts/:alertId/ack (the
 * key). Both hooks run before the query, params or body are looked at.
 */
export const alertRoutes: FastifyPluginAsyncTypebox<AlertRoutesOptions> = async (app, options) => {
  const { store } = options;
  const guard = requireApiKey(options.apiKey);

  app.get(
    '/alerts',
    {
      onRequest: options.canRead,
      schema: {
        querystring: ListQuery,
        response: {
          200: Type.Object({
            alerts: Type.Array(AlertRecord),
            nextCursor: Type.Union([Type.String(), Type.Null()]),
          }),
          400: ErrorBodySchema,
          401: ErrorBodySchema,
        },
      },
    },
    async (request) => {
      // TypeBox's compiler applies no defaults (fastify's Ajv would): the handler does
      const { limit = DEFAULT_PAGE_SIZE, cursor, ...filter } = request.query;
      try {
        return await store.list(filter, { limit, cursor });
      } catch (error) {
        if (!(error instanceof InvalidCursorError)) throw error;
        throw new HttpError(400, {
          message: 'invalid query string',
          fields: [{ field: 'cursor', message: error.message }],
        });
      }
    },
  );

  app.get(
    '/alerts/:alertId',
    {
      onRequest: options.canRead,
      schema: {
        params: Type.Object({ alertId: AlertId }),
        response: { 200: AlertRecord, 400: ErrorBodySchema, 401: ErrorBodySchema, 404: ErrorBodySchema },
      },
    },
    async (request) => {
      const alert = await store.get(request.params.alertId);
      if (alert === undefined) throw new HttpError(404, `no alert ${request.params.alertId}`);
      return alert;
    },
  );

  app.post(
    '/alerts/:alertId/ack',
    {
      onRequest: guard, // before validation: no hints about the body to callers without the key
      schema: {
        params: Type.Object({ alertId: AlertId }),
        body: AckBody,
        response: {
          200: Type.Object({ alert: AlertRecord, alreadyAcknowledged: Type.Boolean() }),
          400: ErrorBodySchema,
          401: ErrorBodySchema,
          404: ErrorBodySchema,
        },
      },
    },
    async (request) => {
      const { by, note } = request.body;
      const result = await store.acknowledge(request.params.alertId, by, note);
      if (result.status === 'not-found') throw new HttpError(404, `no alert ${request.params.alertId}`);
      return { alert: result.alert, alreadyAcknowledged: result.status === 'already-acknowledged' };
    },
  );
};
