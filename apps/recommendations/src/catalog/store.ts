import type { Pool } from 'pg';
import { generateCatalog } from './generate.ts';
import type { CatalogSettings, Category, Product, ProductWithCategory } from './types.ts';

const INSERT_BATCH = 2_000;

export interface SeedResult {
  categories: number;
  products: number;
  /** Products newly inserted by this call (0 when the catalog was already seeded). */
  inserted: number;
}

/**
 * Writes the generated catalog to Postgres. Idempotent: existing rows are kept as they are (their
 * stock may have changed since), so seeding twice with the same settings changes nothing.
 */
export async function seedCatalog(pool: Pool, settings: CatalogSettings): Promise<SeedResult> {
  const catalog = generateCatalog(settings);
  await pool.query(
    `INSERT INTO recs_categories (id, name) SELECT * FROM unnest($1::text[], $2::text[]) ON CONFLICT (id) DO NOTHING`,
    [catalog.categories.map((c) => c.id), catalog.categories.map((c) => c.name)],
  );
  let inserted = 0;
  for (let start = 0; start < catalog.products.length; start += INSERT_BATCH) {
    const batch = catalog.products.slice(start, start + INSERT_BATCH);
    const result = await pool.query(
      `INSERT INTO recs_products (id, category_id, name, price_cents, stock)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::int[], $5::int[])
       ON CONFLICT (id) DO NOTHING`,
      [
        batch.map((p) => p.id),
        batch.map((p) => p.categoryId),
        batch.map((p) => p.name),
        batch.map((p) => Math.round(p.price * 100)),
        batch.map((p) => p.stock),
      ],
    );
    inserted += result.rowCount ?? 0;
  }
  return { categories: catalog.categories.length, products: catalog.products.length, inserted };
}

interface ProductRow {
  id: string;
  category_id: string;
  name: string;
  price_cents: number;
  stock: number;
  category_name?: string;
}

function toProduct(row: ProductRow): Product {
  return {
    id: row.id,
    categoryId: row.category_id,
    name: row.name,
    price: row.price_cents / 100,
    stock: row.stock,
  };
}

export async function getProduct(pool: Pool, id: string): Promise<ProductWithCategory | undefined> {
  const { rows } = await pool.query<ProductRow>(
    `SELECT p.id, p.category_id, p.name, p.price_cents, p.stock, c.name AS category_name
       FROM recs_products p JOIN recs_categories c ON c.id = p.category_id WHERE p.id = $1`,
    [id],
  );
  const row = rows[0];
  if (row === undefined) return undefined;
  return { ...toProduct(row), category: { id: row.category_id, name: row.category_name ?? row.category_id } };
}

export interface ListOptions {
  limit?: number;
  offset?: number;
}

/** Products of one category, in id order (stable pages). */
export async function listByCategory(
  pool: Pool,
  categoryId: string,
  options: ListOptions = {},
): Promise<Product[]> {
  const limit = Math.min(Math.max(options.limit ?? 24, 1), 500);
  const offset = Math.max(options.offset ?? 0, 0);
  const { rows } = await pool.query<ProductRow>(
    `SELECT id, category_id, name, price_cents, stock FROM recs_products
      WHERE category_id = $1 ORDER BY id LIMIT $2 OFFSET $3`,
    [categoryId, limit, offset],
  );
  return rows.map(toProduct);
}

export async function listCategories(pool: Pool): Promise<Category[]> {
  const { rows } = await pool.query<Category>(`SELECT id, name FROM recs_categories ORDER BY name`);
  return rows;
}

/** Several products by id (missing ids are left out), in the order asked. */
export async function getProducts(pool: Pool, ids: readonly string[]): Promise<Product[]> {
  if (ids.length === 0) return [];
  const { rows } = await pool.query<ProductRow>(
    `SELECT id, category_id, name, price_cents, stock FROM recs_products WHERE id = ANY($1::text[])`,
    [ids],
  );
  const byId = new Map(rows.map((r) => [r.id, toProduct(r)]));
  return ids.flatMap((id) => byId.get(id) ?? []);
}

/** Compact in-memory view (category + stock per product) for the recommender and trainer. */
export interface CatalogIndex {
  categoryOf(productId: string): string | undefined;
  inStock(productId: string): boolean;
  productsIn(categoryId: string): readonly string[];
  readonly size: number;
}

export async function loadCatalogIndex(pool: Pool): Promise<CatalogIndex> {
  const { rows } = await pool.query<{ id: string; category_id: string; stock: number }>(
    `SELECT id, category_id, stock FROM recs_products`,
  );
  return buildCatalogIndex(rows.map((r) => ({ id: r.id, categoryId: r.category_id, stock: r.stock })));
}

export function buildCatalogIndex(
  products: readonly Pick<Product, 'id' | 'categoryId' | 'stock'>[],
): CatalogIndex {
  const category = new Map<string, string>();
  const stock = new Map<string, number>();
  const byCategory = new Map<string, string[]>();
  for (const p of products) {
    category.set(p.id, p.categoryId);
    stock.set(p.id, p.stock);
    const list = byCategory.get(p.categoryId) ?? [];
    list.push(p.id);
    byCategory.set(p.categoryId, list);
  }
  return {
    size: products.length,
    categoryOf: (id) => category.get(id),
    inStock: (id) => (stock.get(id) ?? 0) > 0,
    productsIn: (c) => byCategory.get(c) ?? [],
  };
}
