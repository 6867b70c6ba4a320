import { kafkaRedisPostgresEnv } from '@streamkit/config';

/** Settings every fraud service shares; each service spreads this into its own spec. */
export const fraudCommonEnv = kafkaRedisPostgresEnv('fraud:');
