import { Redis } from 'ioredis';
import { Kafka, logLevel } from 'kafkajs';
import { connectAsync } from 'mqtt';
import pg from 'pg';

/**
 * One reachability attempt per component, each bounded by `attemptMs`. They prove the service
 * really answers its protocol (not just that a port is open).
 */
export type Probe = (address: string, attemptMs: number) => Promise<void>;

/** Kafka: the admin API describes the cluster. `address` is a comma-separated broker list. */
export const probeKafka: Probe = async (address, attemptMs) => {
  const kafka = new Kafka({
    brokers: address.split(','),
    clientId: 'streamkit-testkit-probe',
    logLevel: logLevel.NOTHING,
    connectionTimeout: attemptMs,
    requestTimeout: attemptMs,
    retry: { retries: 0 },
  });
  const admin = kafka.admin();
  try {
    await admin.connect();
    const cluster = await admin.describeCluster();
    if (cluster.brokers.length === 0) throw new Error('cluster reports no brokers');
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
};

/** PostgreSQL: `select 1` succeeds. */
export const probePostgres: Probe = async (address, attemptMs) => {
  const client = new pg.Client({ connectionString: address, connectionTimeoutMillis: attemptMs });
  // an unreachable server otherwise surfaces later as an unhandled 'error' event
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('select 1');
  } finally {
    await client.end().catch(() => undefined);
  }
};

/** Redis: PING answers PONG. */
export const probeRedis: Probe = async (address, attemptMs) => {
  const redis = new Redis(address, {
    lazyConnect: true,
    connectTimeout: attemptMs,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    const pong = await redis.ping();
    if (pong !== 'PONG') throw new Error(`PING answered ${pong}`);
  } finally {
    redis.disconnect();
  }
};

/** MQTT: a CONNECT is acknowledged. */
export const probeMqtt: Probe = async (address, attemptMs) => {
  const client = await connectAsync(address, { connectTimeout: attemptMs, reconnectPeriod: 0 }, false);
  await client.endAsync(true);
};
