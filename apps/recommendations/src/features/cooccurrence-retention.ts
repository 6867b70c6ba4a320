import type { Logger } from '@streamkit/runtime';
import type { Redis } from 'ioredis';
import type { Pool } from 'pg';
import type { RecsRedisKeys } from '../common/redis-keys.ts';

/** Escapes Redis glob characters, so a key prefix matches only itself. */
const escapeGlob = (text: string) => text.replace(/[*?[\]\\]/g, (c) => `\\${c}`);

/**
 * Removes the co-occurrence keys (`co:<product>`) of products that are not in the catalog: events
 * may name any product id (the web ingress checks the shape, not the catalog), and nothing ever
 * recommends an unknown product, so its key is garbage from the start.
 *
 * By scan rather than a TTL: a TTL set at write time would need the worker to know the catalog at
 * that moment (its index is loaded at start, so products added since would lose their counts when
 * the TTL ran out), and would not remove keys written before it. The scan reads the catalog afresh
 * each run and walks the key space incrementally (SCAN, a page at a time, UNLINK frees memory off
 * the main thread). Returns the keys removed.
 */
export async function removeUnknownProductKeys(
  deps: { readonly redis: Redis; readonly pool: Pool; readonly keys: RecsRedisKeys; readonly logger: Logger },
  signal?: AbortSignal,
): Promise<number> {
  const { rows } = await deps.pool.query<{ id: string }>('SELECT id FROM recs_products');
  if (rows.length === 0) {
    // an emptied catalog would make every key look unknown: leave them until it is seeded again
    deps.logger.warn('retention: the catalog is empty; co-occurrence keys left alone');
    return 0;
  }
  const known = new Set(rows.map((r) => r.id));
  const base = deps.keys.cooccurrence('');
  let cursor = '0';
  let removed = 0;
  do {
    if (signal?.aborted) break;
    const [next, page] = await deps.redis.scan(cursor, 'MATCH', `${escapeGlob(base)}*`, 'COUNT', 1000);
    cursor = next;
    const unknown = page.filter((key) => !known.has(key.slice(base.length)));
    if (unknown.length > 0) removed += await deps.redis.unlink(...unknown);
  } while (cursor !== '0');
  return removed;
}
