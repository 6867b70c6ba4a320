/** The real services a test suite can ask for. */
export type InfrastructureComponent = 'kafka' | 'postgres' | 'redis' | 'mqtt';

export const allComponents: readonly InfrastructureComponent[] = ['kafka', 'postgres', 'redis', 'mqtt'];

/** Where to reach each component. Every field is filled; only the `provided` ones were checked. */
export interface Infrastructure {
  readonly kafkaBrokers: string[];
  readonly databaseUrl: string;
  readonly redisUrl: string;
  readonly mqttUrl: string;
  /** The components that were asked for and answered their protocol. */
  readonly provided: InfrastructureComponent[];
}

/** Per component: its environment variable, its address on this machine, and how to provide it. */
export const componentFacts: Readonly<
  Record<InfrastructureComponent, { envVar: string; localAddress: string; remedy: string }>
> = {
  kafka: {
    envVar: 'KAFKA_BROKERS',
    localAddress: '127.0.0.1:9092',
    remedy:
      'set KAFKA_BROKERS=host:port[,host:port], or start a broker with `infra/kafka-local/kafka-local start` ' +
      '(or `docker compose -p streamkit -f infra/compose/base.yaml up -d`)',
  },
  postgres: {
    envVar: 'DATABASE_URL',
    localAddress: 'postgres://postgres@127.0.0.1:5432/postgres',
    remedy:
      'set DATABASE_URL=postgres://user@host:5432/db, or run PostgreSQL on 127.0.0.1:5432 (user postgres)',
  },
  redis: {
    envVar: 'REDIS_URL',
    localAddress: 'redis://127.0.0.1:6379',
    remedy: 'set REDIS_URL=redis://host:6379, or run Redis on 127.0.0.1:6379',
  },
  mqtt: {
    envVar: 'MQTT_URL',
    localAddress: 'mqtt://127.0.0.1:1883',
    remedy: 'set MQTT_URL=mqtt://host:1883, or run Mosquitto on 127.0.0.1:1883',
  },
};

export interface MissingComponent {
  readonly component: InfrastructureComponent;
  /** The address tried and where it came from, e.g. "redis://127.0.0.1:1 (from REDIS_URL)". */
  readonly tried: string;
  readonly reason: string;
  readonly remedy: string;
}

/** Thrown by ensureInfrastructure with every component that could not be provided, in one message. */
export class InfrastructureUnavailableError extends Error {
  readonly missing: readonly MissingComponent[];
  constructor(missing: readonly MissingComponent[]) {
    const lines = missing.map((m) => `  - ${m.component}: ${m.tried}: ${m.reason}\n    fix: ${m.remedy}`);
    super(`test infrastructure unavailable:\n${lines.join('\n')}`);
    this.name = 'InfrastructureUnavailableError';
    this.missing = missing;
  }
}
