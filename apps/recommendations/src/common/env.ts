import { kafkaRedisPostgresEnv } from '@streamkit/config';

/** Settings every recommendations service shares; each service spreads this into its own spec. */
export const recsCommonEnv = kafkaRedisPostgresEnv('recs:');
