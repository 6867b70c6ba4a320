import { createRandom } from '@streamkit/random';
import {
  type Catalog,
  type CatalogSettings,
  CatalogSettingsError,
  type Category,
  type Product,
} from './types.ts';

const CATEGORY_NAMES = [
  'Electronics',
  'Books',
  'Kitchen',
  'Garden',
  'Toys',
  'Sports',
  'Fashion',
  'Beauty',
  'Grocery',
  'Music',
  'Office',
  'Pets',
  'Automotive',
  'Baby',
  'Health',
  'Games',
  'Outdoor',
  'Furniture',
  'Jewelry',
  'Tools',
] as const;

const ADJECTIVES = [
  'Classic',
  'Smart',
  'Eco',
  'Pro',
  'Compact',
  'Deluxe',
  'Everyday',
  'Urban',
  'Vintage',
  'Ultra',
];
const NOUNS: Record<string, readonly string[]> = {
  Electronics: ['Headphones', 'Speaker', 'Charger', 'Monitor', 'Keyboard'],
  Books: ['Novel', 'Cookbook', 'Atlas', 'Biography', 'Guide'],
  Kitchen: ['Pan', 'Knife Set', 'Kettle', 'Blender', 'Mug'],
  Garden: ['Hose', 'Planter', 'Shears', 'Seeds', 'Lantern'],
  Toys: ['Puzzle', 'Robot', 'Plush', 'Blocks', 'Kite'],
  Sports: ['Ball', 'Racket', 'Mat', 'Bottle', 'Gloves'],
  Fashion: ['Jacket', 'Scarf', 'Sneakers', 'Hat', 'Belt'],
  Beauty: ['Serum', 'Lipstick', 'Brush', 'Cream', 'Perfume'],
};

function slug(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, '-');
}

export function categoryCount(products: number): number {
  return Math.min(CATEGORY_NAMES.length, products);
}

/** Validates catalog settings; throws CatalogSettingsError naming the bad value. */
export function validateCatalogSettings(settings: CatalogSettings): void {
  if (!Number.isInteger(settings.products) || settings.products < 1 || settings.products > 1_000_000) {
    throw new CatalogSettingsError(`products must be an integer in [1, 1000000], got ${settings.products}`);
  }
}

/**
 * A deterministic catalog: the same seed and size always give the same products, categories,
 * prices and stock. Product i belongs to category i mod C, so every category holds products and
 * the catalog grows without reshuffling the earlier products' categories.
 */
export function generateCatalog(settings: CatalogSettings): Catalog {
  validateCatalogSettings(settings);
  const random = createRandom(`catalog:${settings.seed}`);
  const categories: Category[] = CATEGORY_NAMES.slice(0, categoryCount(settings.products)).map((name) => ({
    id: `c-${slug(name)}`,
    name,
  }));
  const products: Product[] = [];
  for (let i = 0; i < settings.products; i++) {
    const category = categories[i % categories.length] as Category;
    const nouns = NOUNS[category.name] ?? ['Item', 'Set', 'Kit', 'Pack', 'Bundle'];
    const name = `${random.pick(ADJECTIVES)} ${random.pick(nouns)} ${1 + Math.floor(i / categories.length)}`;
    const price = Math.max(1, Math.round(random.logNormal(2500, 0.8))) / 100;
    // about 5% out of stock: the recommender must filter them
    const stock = random.chance(0.05) ? 0 : random.int(1, 500);
    products.push({ id: productId(i), categoryId: category.id, name, price, stock });
  }
  return { categories, products };
}

/** The id of the i-th generated product. */
export function productId(index: number): string {
  return `p-${String(index).padStart(6, '0')}`;
}
