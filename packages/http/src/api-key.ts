import { createHash, timingSafeEqual } from 'node:crypto';
import { SettingsError } from '@streamkit/runtime';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { sendError } from './http-error.ts';

/** The header every streamkit ingress reads its key from. */
export const API_KEY_HEADER = 'x-api-key';

/** Shorter keys are guessable; every service's key setting requires at least this. */
export const MIN_API_KEY_LENGTH = 16;

/** The one message of every 401 for a missing or wrong key (nothing says which of the two). */
export const API_KEY_MESSAGE = `send a valid ${API_KEY_HEADER} header`;

/**
 * A checker for the `x-api-key` header. Both sides are hashed first so the comparison takes the
 * same time whatever the length or content of the guess (timingSafeEqual needs equal lengths).
 */
export function createApiKeyCheck(expected: string): (presented: string | string[] | undefined) => boolean {
  if (typeof expected !== 'string' || expected.length < MIN_API_KEY_LENGTH) {
    throw new SettingsError('api key', `must be a string of at least ${MIN_API_KEY_LENGTH} characters`);
  }
  const expectedDigest = digest(expected);
  return (presented) => typeof presented === 'string' && timingSafeEqual(digest(presented), expectedDigest);
}

/**
 * An onRequest hook that answers 401 `{error: 'unauthorized', message: 'send a valid x-api-key
 * header'}` unless the request carries the key. As an onRequest hook it runs before the body is
 * read and validated, so a caller without the key learns nothing about what the route expects.
 */
export function requireApiKey(expected: string) {
  const matches = createApiKeyCheck(expected);
  return async (request: FastifyRequest, reply: FastifyReply) => {
    if (!matches(request.headers[API_KEY_HEADER])) return sendError(reply, 401, API_KEY_MESSAGE);
  };
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}
