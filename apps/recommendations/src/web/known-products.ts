import { createExpiringCache } from '@streamkit/runtime';
import type { Pool } from 'pg';

export interface KnownProductsSettings {
  /** How long a product found in the catalog is trusted without asking again. Default 10 min. */
  readonly knownTtlMs: number;
  /** How long an id not in the catalog is refused without asking again. Default 30 s. */
  readonly unknownTtlMs: number;
  /** Ids remembered at most, known and unknown together (the oldest are forgotten first). */
  readonly maxEntries: number;
}

export const defaultKnownProductsSettings: KnownProductsSettings = {
  knownTtlMs: 600_000,
  unknownTtlMs: 30_000,
  maxEntries: 1_000_000,
};

export interface KnownProducts {
  /** The ids of `productIds` that are not in the catalog. */
  unknownOf(productIds: readonly string[]): Promise<Set<string>>;
}

/**
 * Which product ids are in the catalog (recs_products), cached both ways, misses read in one
 * `= ANY($1)` query per request. POST /events refuses events for other ids, so an invented id
 * creates no state downstream (co-occurrence sets, popularity buckets, a user's recent items).
 */
export function createKnownProducts(
  pool: Pick<Pool, 'query'>,
  input: Partial<KnownProductsSettings> = {},
  now: () => number = Date.now,
): KnownProducts {
  const settings = { ...defaultKnownProductsSettings, ...input };
  const entries = createExpiringCache<string, boolean>(settings.maxEntries); // id → in the catalog

  function remember(id: string, known: boolean, at: number): void {
    entries.set(id, known, at + (known ? settings.knownTtlMs : settings.unknownTtlMs));
  }

  return {
    async unknownOf(productIds) {
      const at = now();
      const unknown = new Set<string>();
      const misses = new Set<string>();
      for (const id of productIds) {
        const known = entries.get(id, at);
        if (known === undefined) misses.add(id);
        else if (!known) unknown.add(id);
      }
      if (misses.size === 0) return unknown;
      const { rows } = await pool.query<{ id: string }>('SELECT id FROM recs_products WHERE id = ANY($1)', [
        [...misses],
      ]);
      const found = new Set(rows.map((r) => r.id));
      for (const id of misses) {
        remember(id, found.has(id), at);
        if (!found.has(id)) unknown.add(id);
      }
      return unknown;
    },
  };
}
