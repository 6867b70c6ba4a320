import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AlertsSettingsError } from './errors.ts';

export const API_KEY_HEADER = 'x-api-key';

/** Minimum length of ALERTS_API_KEY: shorter keys are guessable. */
export const MIN_API_KEY_LENGTH = 16;

/**
 * A preHandler that answers 401 unless the request carries the key. Both sides are hashed first so
 * the comparison is constant-time whatever the lengths (timingSafeEqual needs equal lengths).
 */
export function requireApiKey(expected: string) {
  if (expected.length < MIN_API_KEY_LENGTH) {
    throw new AlertsSettingsError('api key', [`must be at least ${MIN_API_KEY_LENGTH} characters`]);
  }
  const expectedDigest = digest(expected);
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const given = request.headers[API_KEY_HEADER];
    if (typeof given !== 'string' || !timingSafeEqual(digest(given), expectedDigest)) {
      await reply.code(401).send({ error: `missing or invalid ${API_KEY_HEADER} header` });
    }
  };
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}
