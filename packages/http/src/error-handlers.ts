import { compileValidator, type FieldError, type Validator } from '@streamkit/schemas';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { TSchema } from 'typebox';

interface RawValidationError {
  readonly instancePath?: string;
  readonly message?: string;
  readonly params?: Record<string, unknown>;
}

export interface ErrorHandlerOptions {
  /** What a 415 answer tells the client to send instead (default "send application/json"). */
  readonly unsupportedMediaTypeMessage?: string;
}

/**
 * Every error leaves the service as JSON: 400 `{error: 'invalid request', fields: [{field, message}]}`
 * naming each failing field, 413 for a body over the limit, 415 for a body that is not JSON, 500
 * (logged, details withheld) for the rest.
 */
export function installErrorHandlers(app: FastifyInstance, options: ErrorHandlerOptions = {}): void {
  const unsupportedMediaType = options.unsupportedMediaTypeMessage ?? 'send application/json';
  const bodyValidators = new WeakMap<object, Validator<unknown>>();

  app.setErrorHandler((error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    if (error.validation !== undefined) {
      const context = error.validationContext ?? 'body';
      const fields =
        context === 'body' ? bodyFieldErrors(request, bodyValidators) : rawFieldErrors(error.validation);
      return reply.code(400).send({ error: 'invalid request', fields });
    }
    switch (error.code) {
      case 'FST_ERR_CTP_BODY_TOO_LARGE':
        return reply.code(413).send({ error: 'payload too large', message: error.message });
      case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
        return reply.code(415).send({ error: 'unsupported media type', message: unsupportedMediaType });
      case 'FST_ERR_CTP_INVALID_JSON_BODY':
      case 'FST_ERR_CTP_EMPTY_JSON_BODY':
        return reply.code(400).send({
          error: 'invalid request',
          fields: [{ field: '', message: 'body must be a JSON object' }],
        });
    }
    if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500) {
      return reply.code(error.statusCode).send({ error: 'bad request', message: error.message });
    }
    request.log.error({ err: error }, 'request failed');
    return reply.code(500).send({ error: 'internal error' });
  });

  app.setNotFoundHandler((_request, reply) => reply.code(404).send({ error: 'not found' }));
}

/** Re-validates the body with the project's validator, whose messages are written for people. */
function bodyFieldErrors(request: FastifyRequest, cache: WeakMap<object, Validator<unknown>>): FieldError[] {
  const schema = request.routeOptions.schema?.body as TSchema | undefined;
  if (schema === undefined) return [{ field: '', message: 'is invalid' }];
  let validator = cache.get(schema);
  if (validator === undefined) {
    validator = compileValidator('request body', schema);
    cache.set(schema, validator);
  }
  const result = validator.validate(request.body);
  return result.ok ? [] : [...result.errors];
}

function rawFieldErrors(errors: readonly RawValidationError[]): FieldError[] {
  return errors.flatMap((e) => {
    const base = (e.instancePath ?? '').replace(/^\//, '');
    const missing = e.params?.requiredProperties;
    if (Array.isArray(missing)) return missing.map((p) => ({ field: String(p), message: 'is required' }));
    const extra = e.params?.additionalProperties;
    if (Array.isArray(extra)) return extra.map((p) => ({ field: String(p), message: 'is not allowed' }));
    return [{ field: base, message: e.message ?? 'is invalid' }];
  });
}
