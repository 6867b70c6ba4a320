import type { DriverConfig, DriverModule, KafkaClientKind, KafkaDriver } from './driver.ts';
import { fromClientError, KafkaSettingsError } from './errors.ts';
import { createConsoleLogger, isLogLevel, type Logger, type LogLevel } from './logger.ts';

export type { KafkaClientKind } from './driver.ts';

export interface KafkaClientSettings {
  /** host:port of at least one broker. */
  readonly brokers: readonly string[];
  readonly clientId: string;
  /** Receives the client library's logs too (default: JSON lines on stderr). */
  readonly logger?: Logger;
  /** The client library's verbosity (default 'warn'). */
  readonly logLevel?: LogLevel;
  /** TCP connect timeout (default 3000 ms). */
  readonly connectionTimeoutMs?: number;
  /** Per-request timeout (default 30000 ms). */
  readonly requestTimeoutMs?: number;
  /** The client library behind the factories (default 'kafkajs'); see README "Client comparison". */
  readonly client?: KafkaClientKind;
  /**
   * kafkajs only: retries of a failed request before the library gives up (its `retry.retries`,
   * default 5; at least 1, as its idempotent producer requires). Tests lower it to make an outage's
   * give-up quick; the platformatic driver keeps its own.
   */
  readonly retries?: number;
}

export const kafkaClientKinds: readonly KafkaClientKind[] = Object.freeze(['kafkajs', 'platformatic']);

/** A configured connection factory: pass it to createProducer, runConsumer, ensureTopics… */
export interface KafkaClient {
  readonly clientId: string;
  readonly brokers: readonly string[];
  readonly logger: Logger;
  /** Which client library the factories use for this client. */
  readonly implementation: KafkaClientKind;
}

/**
 * The drivers, each loaded on first use: @platformatic/kafka's engines (Node >= 22.22 / >= 24.6)
 * are narrower than the project's, so a kafkajs user never loads it (and vice versa).
 */
const driverModules: Readonly<Record<KafkaClientKind, () => Promise<DriverModule>>> = {
  kafkajs: () => import('./kafkajs/driver.ts'),
  platformatic: () => import('./platformatic/driver.ts'),
};

interface ClientState {
  readonly config: DriverConfig;
  driver?: Promise<KafkaDriver>;
}

/** The clients createKafka made; their library handles never appear in the public API. */
const clients = new WeakMap<KafkaClient, ClientState>();

const BROKER = /^[^\s:,]+:\d{1,5}$/;

export function createKafka(settings: KafkaClientSettings): KafkaClient {
  const problems: string[] = [];
  const brokers = Array.isArray(settings.brokers) ? settings.brokers : [];
  if (brokers.length === 0) problems.push('brokers must list at least one host:port');
  for (const b of brokers)
    if (typeof b !== 'string' || !BROKER.test(b))
      problems.push(`broker ${JSON.stringify(b)} is not host:port`);
  if (typeof settings.clientId !== 'string' || settings.clientId.trim() === '')
    problems.push('clientId must be a non-empty string');
  const level = settings.logLevel ?? 'warn';
  if (!isLogLevel(level))
    problems.push(`logLevel ${JSON.stringify(level)} is not error|warn|info|debug|silent`);
  const connectionTimeout = settings.connectionTimeoutMs ?? 3000;
  const requestTimeout = settings.requestTimeoutMs ?? 30_000;
  for (const [name, v] of [
    ['connectionTimeoutMs', connectionTimeout],
    ['requestTimeoutMs', requestTimeout],
  ] as const) {
    if (!Number.isInteger(v) || v <= 0) problems.push(`${name} must be a positive integer (ms), got ${v}`);
  }
  if (settings.retries !== undefined && (!Number.isInteger(settings.retries) || settings.retries < 1))
    problems.push(`retries must be an integer >= 1, got ${settings.retries}`);
  const implementation = settings.client ?? 'kafkajs';
  if (!kafkaClientKinds.includes(implementation))
    problems.push(`client ${JSON.stringify(implementation)} is not ${kafkaClientKinds.join('|')}`);
  if (problems.length > 0) throw new KafkaSettingsError('Kafka client', problems);

  const logger = settings.logger ?? createConsoleLogger(level);
  const client: KafkaClient = Object.freeze({
    clientId: settings.clientId,
    brokers: Object.freeze([...brokers]),
    logger,
    implementation,
  });
  const config: DriverConfig = {
    clientId: settings.clientId,
    brokers: client.brokers,
    logger,
    logLevel: level,
    connectionTimeoutMs: connectionTimeout,
    requestTimeoutMs: requestTimeout,
    ...(settings.retries === undefined ? {} : { retries: settings.retries }),
  };
  clients.set(client, { config });
  return client;
}

/** The driver of the library `client` was created for, made once per client (internal to this package). */
export function driverOf(client: KafkaClient): Promise<KafkaDriver> {
  const state = clients.get(client);
  if (state === undefined) {
    return Promise.reject(
      new KafkaSettingsError('Kafka client', ['expected a client made by createKafka() of @streamkit/kafka']),
    );
  }
  state.driver ??= driverModules[client.implementation]().then((m) => m.createDriver(state.config));
  return state.driver;
}

/**
 * Connects `what` (a producer, an admin…) through `client`'s driver; a failure names it and the
 * brokers, and keeps the library's error as `cause`.
 */
export async function connectThrough<R>(
  client: KafkaClient,
  what: string,
  connect: (driver: KafkaDriver) => Promise<R>,
): Promise<R> {
  const driver = await driverOf(client);
  try {
    return await connect(driver);
  } catch (error) {
    throw fromClientError(`${what} could not connect to ${client.brokers.join(',')}`, error);
  }
}
