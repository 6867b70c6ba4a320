import { type RawSchemaError, toFieldErrors } from '@streamkit/schemas';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest, FastifySchema } from 'fastify';
import type { TSchema } from 'typebox';
import { outageOf } from './dependency-outage.ts';
import { type ErrorDetail, errorBody } from './error-body.ts';
import { HttpError, sendError } from './http-error.ts';

export interface ErrorHandlerOptions {
  /** What a 415 answer tells the client to send instead (default "send application/json"). */
  readonly unsupportedMediaTypeMessage?: string;
}

/**
 * Every error leaves the service in the common body `{ error, message?, fields? }`:
 * - an HttpError as it says;
 * - a failed schema validation → 400 with `fields` naming each failing field, in the words of
 *   @streamkit/schemas (query and path parameters by name, the body's fields by path);
 * - a body that is not JSON → 400, over the limit → 413, of another media type → 415;
 * - a dependency that is down (a retriable StreamkitError, a lost Redis/PostgreSQL connection) →
 *   503 + Retry-After;
 * - any other 4xx fastify raised keeps its status; the rest is 500, logged, details withheld.
 * An unknown route is 404 `not_found`.
 */
export function installErrorHandlers(app: FastifyInstance, options: ErrorHandlerOptions = {}): void {
  const unsupportedMediaType = options.unsupportedMediaTypeMessage ?? 'send application/json';

  app.setErrorHandler((error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    if (error instanceof HttpError) return sendError(reply, error.status, error.answer);
    if (error.validation !== undefined) return sendError(reply, 400, validationAnswer(request, error));
    switch (error.code) {
      case 'FST_ERR_CTP_BODY_TOO_LARGE':
        return sendError(reply, 413, error.message);
      case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
        return sendError(reply, 415, unsupportedMediaType);
      case 'FST_ERR_CTP_INVALID_JSON_BODY':
      case 'FST_ERR_CTP_EMPTY_JSON_BODY':
        return sendError(reply, 400, {
          message: 'invalid request body',
          fields: [{ field: '', message: 'must be a JSON document' }],
        });
    }
    const outage = outageOf(error);
    if (outage !== undefined) {
      request.log.warn(`request refused, a dependency is unavailable: ${outage.message}`);
      return sendError(reply, 503, outage);
    }
    if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500) {
      return reply.code(error.statusCode).send(errorBody(error.statusCode, { message: error.message }));
    }
    request.log.error({ err: error }, 'request failed');
    return sendError(reply, 500);
  });

  app.setNotFoundHandler((request, reply) =>
    sendError(reply, 404, `no route ${request.method} ${request.url.split('?')[0]}`),
  );
}

const partNames: Readonly<Record<string, string>> = {
  body: 'request body',
  querystring: 'query string',
  params: 'path parameters',
  headers: 'headers',
};

/** TypeBox's errors for the request part that failed, named against that part's schema. */
function validationAnswer(request: FastifyRequest, error: FastifyError): ErrorDetail {
  const part = (error.validationContext ?? 'body') as keyof FastifySchema;
  const schema = (request.routeOptions.schema?.[part] ?? {}) as TSchema;
  const fields = toFieldErrors(schema, error.validation as unknown as readonly RawSchemaError[]);
  return {
    message: `invalid ${partNames[part] ?? part}`,
    fields: fields.length > 0 ? fields : [{ field: '', message: error.message }],
  };
}
