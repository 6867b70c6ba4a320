import { randomBytes } from 'node:crypto';

/**
 * A name unique to this process and call: `${prefix}-${pid}-${random}`, lower case, using only
 * `[a-z0-9-]`, so it is valid as a Kafka topic, consumer group, Redis key prefix and (quoted)
 * Postgres database name. Test files use it to stay isolated when they run in parallel.
 */
export function uniqueName(prefix: string): string {
  const cleaned = prefix
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '');
  if (cleaned === '')
    throw new Error(`uniqueName: prefix ${JSON.stringify(prefix)} has no usable characters`);
  // Postgres truncates identifiers at 63 bytes; keep room for the pid and random suffix.
  return `${cleaned.slice(0, 40)}-${process.pid}-${randomBytes(4).toString('hex')}`;
}
