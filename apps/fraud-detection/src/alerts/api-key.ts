import { createApiKeyCheck } from '@streamkit/http';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AlertsSettingsError } from './errors.ts';

export const API_KEY_HEADER = 'x-api-key';

/** Minimum length of ALERTS_API_KEY: shorter keys are guessable. */
export const MIN_API_KEY_LENGTH = 16;

/** A preHandler that answers 401 unless the request carries the key (compared in constant time). */
export function requireApiKey(expected: string) {
  if (expected.length < MIN_API_KEY_LENGTH) {
    throw new AlertsSettingsError('api key', [`must be at least ${MIN_API_KEY_LENGTH} characters`]);
  }
  const matches = createApiKeyCheck(expected);
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    if (!matches(request.headers[API_KEY_HEADER])) {
      await reply.code(401).send({ error: `missing or invalid ${API_KEY_HEADER} header` });
    }
  };
}
