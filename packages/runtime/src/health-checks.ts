import { HealthCheckFailedError } from './errors.ts';
import type { HealthCheck } from './health-report.ts';

/** Anything with pg's `query` (a Pool or a Client). */
export interface Queryable {
  query(sql: string): Promise<unknown>;
}

/** Anything with ioredis' / node-redis' `ping`. */
export interface Pingable {
  ping(): Promise<string>;
}

/** Anything with a Kafka admin's `describeCluster` (kafkajs shape). */
export interface ClusterDescriber {
  describeCluster(): Promise<{ readonly brokers: readonly unknown[] }>;
}

/** A check from any async probe; the probe may honour the abort signal. */
export function check(probe: (signal: AbortSignal) => Promise<unknown>): HealthCheck {
  return async (signal) => {
    await probe(signal);
  };
}

/** PostgreSQL answers `select 1`. */
export function postgresCheck(pool: Queryable): HealthCheck {
  return async () => {
    await pool.query('select 1');
  };
}

/** Redis answers PING with PONG. */
export function redisCheck(redis: Pingable): HealthCheck {
  return async () => {
    const reply = await redis.ping();
    if (reply !== 'PONG')
      throw new HealthCheckFailedError(`redis answered PING with ${JSON.stringify(reply)}`);
  };
}

/** The Kafka cluster is reachable and has at least one broker. */
export function kafkaCheck(admin: ClusterDescriber): HealthCheck {
  return async () => {
    const cluster = await admin.describeCluster();
    if (cluster.brokers.length === 0) throw new HealthCheckFailedError('kafka cluster reports no brokers');
  };
}
