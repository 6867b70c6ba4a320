import { Counter, Histogram, type Registry } from 'prom-client';

export interface RecommenderMetrics {
  usersRanked: Counter;
  modelSwaps: Counter;
  rankSeconds: Histogram;
}

export function createRecommenderMetrics(registry: Registry): RecommenderMetrics {
  return {
    usersRanked: new Counter({
      name: 'recs_recommender_users_ranked_total',
      help: 'Users whose top-N was recomputed',
      registers: [registry],
    }),
    modelSwaps: new Counter({
      name: 'recs_recommender_model_swaps_total',
      help: 'New model versions picked up without restart',
      registers: [registry],
    }),
    rankSeconds: new Histogram({
      name: 'recs_recommender_rank_seconds',
      help: 'Time to rank one user (features read, candidates, scoring, cache write)',
      buckets: [0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1],
      registers: [registry],
    }),
  };
}
