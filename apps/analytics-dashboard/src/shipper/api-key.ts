import { createHash, timingSafeEqual } from 'node:crypto';

/** A checker for the `x-api-key` header; both sides hashed so the comparison time tells nothing. */
export function createApiKeyCheck(expected: string): (presented: string | string[] | undefined) => boolean {
  const expectedDigest = digest(expected);
  return (presented) => typeof presented === 'string' && timingSafeEqual(digest(presented), expectedDigest);
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}
