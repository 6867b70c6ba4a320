import {
  check,
  type HealthCheck,
  type Pingable,
  postgresCheck,
  type Queryable,
  redisCheck,
} from '@streamkit/runtime';
import type { KafkaAdmin } from './admin.ts';
import { type InfrastructureOutage, outageCheck } from './outage.ts';

/** Kafka answers the service's own topic admin (through the client library the service uses). */
export function kafkaAdminCheck(admin: Pick<KafkaAdmin, 'listTopics'>): HealthCheck {
  return check(() => admin.listTopics());
}

export interface ConsumerHealth {
  readonly admin: Pick<KafkaAdmin, 'listTopics'>;
  /** The service's consumer (or processor, worker): degraded while it waits on infrastructure. */
  readonly consumer: { outage(): InfrastructureOutage | undefined };
  readonly redis?: Pingable;
  readonly postgres?: Queryable;
}

/**
 * The /health checks of a consuming service: `kafka` (its admin answers), `redis` and `postgres`
 * (those it writes to answer), and `consumer` — degraded while records wait for a dependency to
 * come back (retried, never dead-lettered), naming since when and why.
 */
export function consumerHealthChecks(health: ConsumerHealth): Record<string, HealthCheck> {
  return {
    kafka: kafkaAdminCheck(health.admin),
    ...(health.redis === undefined ? {} : { redis: redisCheck(health.redis) }),
    ...(health.postgres === undefined ? {} : { postgres: postgresCheck(health.postgres) }),
    consumer: outageCheck(health.consumer),
  };
}
