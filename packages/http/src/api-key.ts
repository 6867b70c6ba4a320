import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * A checker for the `x-api-key` header. Both sides are hashed first so the comparison takes the
 * same time whatever the length or content of the guess (timingSafeEqual needs equal lengths).
 */
export function createApiKeyCheck(expected: string): (presented: string | string[] | undefined) => boolean {
  const expectedDigest = digest(expected);
  return (presented) => typeof presented === 'string' && timingSafeEqual(digest(presented), expectedDigest);
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}
