import { createHash, randomBytes } from 'node:crypto';

/** A new device token: 32 random bytes, base64url (43 characters), prefixed so it is recognisable in logs. */
export function newDeviceToken(): string {
  return `iotd_${randomBytes(32).toString('base64url')}`;
}

/** What the registry stores instead of the token. Tokens are random, so an unsalted SHA-256 suffices. */
export function hashDeviceToken(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}

/** The token of an `Authorization: Bearer <token>` header, or undefined. */
export function bearerToken(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1];
}
