import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ErrorBodySchema } from '@streamkit/http';
import { limitQuery, RecommendationsBody, UserParams } from './http-schemas.ts';
import type { RecommendationReader } from './recommendation-reader.ts';

export interface RecommendationRoutesOptions {
  readonly reader: RecommendationReader;
  readonly defaultLimit: number;
  readonly maxLimit: number;
}

/**
 * GET /recommendations/:userId and GET /trending: the latency-critical path. One Redis call per
 * request and a response schema, which fastify compiles into a serializer once at start.
 */
export const recommendationRoutes: FastifyPluginAsyncTypebox<RecommendationRoutesOptions> = async (
  app,
  options,
) => {
  const { reader, defaultLimit } = options;
  const querystring = limitQuery(options.maxLimit);

  app.get(
    '/recommendations/:userId',
    {
      schema: {
        params: UserParams,
        querystring,
        response: { 200: RecommendationsBody, 400: ErrorBodySchema },
      },
    },
    (request) => reader.forUser(request.params.userId, request.query.limit ?? defaultLimit),
  );

  app.get(
    '/trending',
    { schema: { querystring, response: { 200: RecommendationsBody, 400: ErrorBodySchema } } },
    (request) => reader.trending(request.query.limit ?? defaultLimit),
  );
};
