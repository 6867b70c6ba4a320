export { categoryCount, generateCatalog, productId, validateCatalogSettings } from './generate.ts';
export {
  buildCatalogIndex,
  type CatalogIndex,
  getProduct,
  getProducts,
  type ListOptions,
  listByCategory,
  listCategories,
  loadCatalogIndex,
  type SeedResult,
  seedCatalog,
} from './store.ts';
export {
  type Catalog,
  type CatalogSettings,
  CatalogSettingsError,
  type Category,
  type Product,
  type ProductWithCategory,
} from './types.ts';
