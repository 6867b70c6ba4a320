import { createRandom, type Random } from '@streamkit/random';
import type { UserEvent, UserEventType } from '@streamkit/schemas';
import { categoryCount, productId } from '../catalog/generate.ts';

/**
 * Simulated shoppers with latent category preferences, so recommendation quality is measurable:
 * a shopper mostly browses a favourite category, within a category popular products are picked
 * more often (Zipf), and each product has a few "companions" bought together with it.
 */
export interface ShopperSettings {
  /** Same seed → same shoppers and events. */
  seed: number | string;
  users: number;
  /** Size of the catalog the events refer to (seedCatalog's `products`). */
  products: number;
  /** Prefix of user ids ("u-" → "u-000012"): lets tests keep their shoppers apart. */
  userPrefix?: string;
}

export class ShopperSettingsError extends Error {
  override name = 'ShopperSettingsError';
}

export interface Shopper {
  userId: string;
  /** Category index → preference weight (sums to 1). */
  preferences: readonly number[];
  favouriteCategory: number;
}

export interface ShopperWorld {
  readonly settings: Required<ShopperSettings>;
  readonly shoppers: readonly Shopper[];
  readonly categories: number;
  /** Events of one session of `shopper` starting at `startMs` (event ids unique per world and session number). */
  session(shopper: Shopper, sessionNumber: number | string, startMs: number, random: Random): UserEvent[];
}

const ZIPF_EXPONENT = 1.1;
const COMPANION_CHANCE = 0.35;

export function validateShopperSettings(s: ShopperSettings): void {
  if (!Number.isInteger(s.users) || s.users < 1 || s.users > 10_000_000) {
    throw new ShopperSettingsError(`users must be an integer in [1, 10000000], got ${s.users}`);
  }
  if (!Number.isInteger(s.products) || s.products < 1) {
    throw new ShopperSettingsError(`products must be a positive integer, got ${s.products}`);
  }
}

export function createShopperWorld(settings: ShopperSettings): ShopperWorld {
  validateShopperSettings(settings);
  const full: Required<ShopperSettings> = { userPrefix: 'u-', ...settings };
  const categories = categoryCount(full.products);
  const random = createRandom(`shoppers:${full.seed}`);
  const perCategory = Array.from({ length: categories }, (_, c) => {
    // product i is in category i mod C (see generateCatalog); shuffle ranks per seed
    const indexes: number[] = [];
    for (let i = c; i < full.products; i += categories) indexes.push(i);
    const rank = random.fork(`rank:${c}`);
    for (let i = indexes.length - 1; i > 0; i--) {
      const j = rank.int(0, i);
      [indexes[i], indexes[j]] = [indexes[j] as number, indexes[i] as number];
    }
    return indexes;
  });
  const zipfTotals = perCategory.map((list) => cumulativeZipf(list.length));
  const shoppers: Shopper[] = [];
  for (let u = 0; u < full.users; u++) {
    const r = random.fork(`user:${u}`);
    const favourite = r.int(0, categories - 1);
    const second = r.int(0, categories - 1);
    const preferences = Array.from({ length: categories }, () => 0.1 / categories);
    preferences[favourite] = (preferences[favourite] ?? 0) + 0.65;
    preferences[second] = (preferences[second] ?? 0) + 0.25;
    shoppers.push({
      userId: `${full.userPrefix}${String(u).padStart(6, '0')}`,
      preferences,
      favouriteCategory: favourite,
    });
  }

  const pickInCategory = (c: number, r: Random): number => {
    const list = perCategory[c] as number[];
    const cumulative = zipfTotals[c] as Float64Array;
    const x = r.next() * (cumulative[cumulative.length - 1] ?? 1);
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((cumulative[mid] as number) < x) lo = mid + 1;
      else hi = mid;
    }
    return list[lo] as number;
  };
  // a product's companions: fixed per product, in its category (what "bought together" learns)
  const companion = (product: number, r: Random): number => {
    const c = product % categories;
    const list = perCategory[c] as number[];
    const k = 1 + r.int(0, 2);
    const h = (product * 2654435761 + k * 40503) >>> 0;
    return list[h % list.length] as number;
  };

  return {
    settings: full,
    shoppers,
    categories,
    session(shopper, sessionNumber, startMs, r) {
      const events: UserEvent[] = [];
      const category = r.weighted(
        shopper.preferences.map((_, i) => i),
        (i) => shopper.preferences[i] ?? 0,
      );
      const sessionId = `${shopper.userId}-s${sessionNumber}`;
      const views = r.int(3, 8);
      let ts = startMs;
      let previous: number | undefined;
      const emit = (type: UserEventType, product: number) => {
        events.push({
          eventId: `${sessionId}-e${events.length}`,
          type,
          userId: shopper.userId,
          sessionId,
          productId: productId(product),
          ts: new Date(ts).toISOString(),
        });
        ts += r.int(5_000, 60_000);
      };
      for (let v = 0; v < views; v++) {
        const product =
          previous !== undefined && r.chance(COMPANION_CHANCE)
            ? companion(previous, r)
            : pickInCategory(category, r);
        emit('view', product);
        if (r.chance(0.2)) {
          emit('add_to_cart', product);
          if (r.chance(0.5)) emit('purchase', product);
        }
        previous = product;
      }
      return events;
    },
  };
}

function cumulativeZipf(n: number): Float64Array {
  const out = new Float64Array(n);
  let total = 0;
  for (let i = 0; i < n; i++) {
    total += 1 / (i + 1) ** ZIPF_EXPONENT;
    out[i] = total;
  }
  return out;
}
