import { Redis } from 'ioredis';
import { connectAsync } from 'mqtt';
import pg from 'pg';
import { describe, expect, inject, it } from 'vitest';
import { InfrastructureUnavailableError } from '../src/components.ts';
import { ensureInfrastructure } from '../src/infrastructure.ts';
import { closedPort } from './free-port.ts';

const infrastructure = inject('infrastructure');

describe('ensureInfrastructure', () => {
  it('provided every component to the test run, and each answers', async () => {
    expect(infrastructure.provided.sort()).toEqual(['kafka', 'mqtt', 'postgres', 'redis']);

    const client = new pg.Client({ connectionString: infrastructure.databaseUrl });
    await client.connect();
    const { rows } = await client.query<{ one: number }>('select 1 as one');
    await client.end();
    expect(rows).toEqual([{ one: 1 }]);

    const redis = new Redis(infrastructure.redisUrl, { lazyConnect: true });
    await redis.connect();
    expect(await redis.ping()).toBe('PONG');
    redis.disconnect();

    const mqtt = await connectAsync(infrastructure.mqttUrl, { reconnectPeriod: 0 });
    expect(mqtt.connected).toBe(true);
    await mqtt.endAsync();
    expect(infrastructure.kafkaBrokers.length).toBeGreaterThan(0);
  });

  it('uses addresses from the environment and the local services for the rest', async () => {
    const found = await ensureInfrastructure({
      need: ['kafka', 'postgres'],
      environment: { KAFKA_BROKERS: infrastructure.kafkaBrokers.join(',') },
      dockerAvailable: async () => false,
      timeoutMs: 10_000,
    });
    expect(found.kafkaBrokers).toEqual(infrastructure.kafkaBrokers);
    expect(found.databaseUrl).toBe('postgres://postgres@127.0.0.1:5432/postgres');
    expect(found.provided).toEqual(['kafka', 'postgres']);
  });

  it('names the variable and the address when a component does not answer', async () => {
    const port = await closedPort();
    const failure = await ensureInfrastructure({
      need: ['redis', 'postgres'],
      environment: { REDIS_URL: `redis://127.0.0.1:${port}`, DATABASE_URL: infrastructure.databaseUrl },
      timeoutMs: 600,
    }).catch((e: unknown) => e);

    expect(failure).toBeInstanceOf(InfrastructureUnavailableError);
    const error = failure as InfrastructureUnavailableError;
    expect(error.missing.map((m) => m.component)).toEqual(['redis']);
    expect(error.message).toContain(`redis://127.0.0.1:${port} (from REDIS_URL)`);
    expect(error.message).toContain('set REDIS_URL=');
    expect(error.message).not.toContain('postgres:');
  });

  it('lists every missing component in one error', async () => {
    const [a, b] = [await closedPort(), await closedPort()];
    const failure: unknown = await ensureInfrastructure({
      need: ['mqtt', 'kafka'],
      environment: { MQTT_URL: `mqtt://127.0.0.1:${a}`, KAFKA_BROKERS: `127.0.0.1:${b}` },
      timeoutMs: 600,
    }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(InfrastructureUnavailableError);
    const error = failure as InfrastructureUnavailableError;
    expect(error.message).toMatch(
      /- kafka: 127\.0\.0\.1:\d+ \(from KAFKA_BROKERS\)[\s\S]*fix: set KAFKA_BROKERS=/,
    );
    expect(error.message).toMatch(
      /- mqtt: mqtt:\/\/127\.0\.0\.1:\d+ \(from MQTT_URL\)[\s\S]*fix: set MQTT_URL=/,
    );
  });

  it('rejects an unknown component', async () => {
    // @ts-expect-error: not a component
    await expect(ensureInfrastructure({ need: ['rabbitmq'] })).rejects.toThrow(
      /unknown component "rabbitmq"/,
    );
  });
});
