import { Id } from '@streamkit/schemas';
import Type from 'typebox';

/**
 * The JSON shapes the web service answers with (errors: @streamkit/http's ErrorBodySchema);
 * declared on the routes (fast serialization) and in the README.
 */

export const AcceptedEventsBody = Type.Object({ accepted: Type.Integer() });

export const SessionRequest = Type.Object({ userId: Id }, { additionalProperties: false });

export const SessionBody = Type.Object({
  userId: Type.String(),
  sessionId: Type.String(),
  token: Type.String(),
  expiresAt: Type.String(),
});

export const RecommendedItemBody = Type.Object({
  productId: Type.String(),
  score: Type.Number(),
  reason: Type.String(),
});

export const RecommendationsBody = Type.Object({
  userId: Type.String(),
  items: Type.Array(RecommendedItemBody),
  modelVersion: Type.String(),
  generatedAt: Type.String(),
  source: Type.Enum(['personal', 'fallback']),
});

export const UserParams = Type.Object({ userId: Id }, { additionalProperties: false });
export const ProductParams = Type.Object({ productId: Id }, { additionalProperties: false });
export const CategoryParams = Type.Object({ categoryId: Id }, { additionalProperties: false });

export function limitQuery(maxLimit: number) {
  return Type.Object(
    { limit: Type.Optional(Type.Integer({ minimum: 1, maximum: maxLimit })) },
    { additionalProperties: false },
  );
}

export function pageQuery(maxLimit: number) {
  return Type.Object(
    {
      limit: Type.Optional(Type.Integer({ minimum: 1, maximum: maxLimit })),
      offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000 })),
    },
    { additionalProperties: false },
  );
}

export const ProductIdsQuery = Type.Object(
  { ids: Type.String({ minLength: 1, maxLength: 4096, pattern: '^[A-Za-z0-9._:-]+(,[A-Za-z0-9._:-]+)*$' }) },
  { additionalProperties: false },
);

export const CategoryBody = Type.Object({ id: Type.String(), name: Type.String() });

export const ProductBody = Type.Object({
  id: Type.String(),
  categoryId: Type.String(),
  name: Type.String(),
  price: Type.Number(),
  stock: Type.Integer(),
});

export const ProductWithCategoryBody = Type.Object({
  id: Type.String(),
  categoryId: Type.String(),
  name: Type.String(),
  price: Type.Number(),
  stock: Type.Integer(),
  category: CategoryBody,
});

export const ProductListBody = Type.Object({ products: Type.Array(ProductBody) });
export const CategoryListBody = Type.Object({ categories: Type.Array(CategoryBody) });
export const CategoryProductsBody = Type.Object({
  categoryId: Type.String(),
  products: Type.Array(ProductBody),
  limit: Type.Integer(),
  offset: Type.Integer(),
});
export const TogetherBody = Type.Object({
  productId: Type.String(),
  items: Type.Array(Type.Object({ product: ProductBody, together: Type.Integer() })),
});
