import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ErrorBodySchema, HttpError } from '@streamkit/http';
import type { Redis } from 'ioredis';
import type { Pool } from 'pg';
import { getProduct, getProducts, listByCategory, listCategories } from '../catalog/index.ts';
import type { RecsRedisKeys } from '../common/redis-keys.ts';
import {
  CategoryListBody,
  CategoryParams,
  CategoryProductsBody,
  limitQuery,
  ProductIdsQuery,
  ProductListBody,
  ProductParams,
  ProductWithCategoryBody,
  pageQuery,
  TogetherBody,
} from './http-schemas.ts';

export interface CatalogRoutesOptions {
  readonly pool: Pool;
  readonly redis: Redis;
  readonly keys: RecsRedisKeys;
  readonly maxLimit: number;
}

const MAX_IDS = 100;
const PAGE_MAX = 200;

/**
 * The catalog from Postgres: GET /categories, /categories/:categoryId/products, /products?ids=,
 * /products/:productId (with its category) and /products/:productId/together (the features
 * worker's session co-occurrence, read from the online feature store).
 */
export const catalogRoutes: FastifyPluginAsyncTypebox<CatalogRoutesOptions> = async (app, options) => {
  const { pool, redis, keys } = options;

  app.get('/categories', { schema: { response: { 200: CategoryListBody } } }, async () => ({
    categories: await listCategories(pool),
  }));

  app.get(
    '/categories/:categoryId/products',
    {
      schema: {
        params: CategoryParams,
        querystring: pageQuery(PAGE_MAX),
        response: { 200: CategoryProductsBody, 400: ErrorBodySchema },
      },
    },
    async (request) => {
      const { categoryId } = request.params;
      const limit = request.query.limit ?? 24;
      const offset = request.query.offset ?? 0;
      return {
        categoryId,
        products: await listByCategory(pool, categoryId, { limit, offset }),
        limit,
        offset,
      };
    },
  );

  app.get(
    '/products',
    { schema: { querystring: ProductIdsQuery, response: { 200: ProductListBody, 400: ErrorBodySchema } } },
    async (request) => {
      const ids = [...new Set(request.query.ids.split(','))];
      if (ids.length > MAX_IDS) {
        throw new HttpError(400, {
          message: 'invalid query string',
          fields: [{ field: 'ids', message: `at most ${MAX_IDS} ids` }],
        });
      }
      return { products: await getProducts(pool, ids) };
    },
  );

  app.get(
    '/products/:productId',
    {
      schema: {
        params: ProductParams,
        response: { 200: ProductWithCategoryBody, 400: ErrorBodySchema, 404: ErrorBodySchema },
      },
    },
    async (request) => {
      const product = await getProduct(pool, request.params.productId);
      if (product === undefined) throw new HttpError(404, `no product ${request.params.productId}`);
      return product;
    },
  );

  app.get(
    '/products/:productId/together',
    {
      schema: {
        params: ProductParams,
        querystring: limitQuery(options.maxLimit),
        response: { 200: TogetherBody, 400: ErrorBodySchema },
      },
    },
    async (request) => {
      const { productId } = request.params;
      const limit = request.query.limit ?? 6;
      // one extra: the product itself may have been paired with itself in a session
      const flat = await redis.zrevrange(keys.cooccurrence(productId), 0, limit, 'WITHSCORES');
      const counts = new Map<string, number>();
      for (let i = 0; i + 1 < flat.length; i += 2) {
        const id = flat[i] as string;
        if (id !== productId && counts.size < limit) counts.set(id, Math.round(Number(flat[i + 1])));
      }
      const products = await getProducts(pool, [...counts.keys()]);
      return {
        productId,
        items: products.map((product) => ({ product, together: counts.get(product.id) ?? 0 })),
      };
    },
  );
};
