export interface Category {
  /** "c-electronics" */
  id: string;
  name: string;
}

export interface Product {
  /** "p-000042" */
  id: string;
  categoryId: string;
  name: string;
  /** Price in major units (e.g. 19.99); stored as integer cents. */
  price: number;
  /** Units in stock; 0 means out of stock (never recommended). */
  stock: number;
}

export interface ProductWithCategory extends Product {
  category: Category;
}

export interface Catalog {
  readonly categories: readonly Category[];
  readonly products: readonly Product[];
}

export interface CatalogSettings {
  /** Same seed → same catalog, on every machine. */
  seed: number | string;
  /** Number of products (at least one per category). */
  products: number;
}

export class CatalogSettingsError extends Error {
  override name = 'CatalogSettingsError';
}
