/**
 * Every piece of infrastructure a pipeline needs, started privately for one chaos run in one
 * temporary directory. Nothing here knows the shared services' ports, so stopping these cannot
 * reach them.
 */
import { rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DemoInfrastructure, InfrastructureNeed } from '@streamkit/demo';
import { onEmergencyCleanup } from '../emergency.ts';
import { type PrivateKafka, startPrivateKafka } from './kafka.ts';
import { type PrivateMosquitto, startPrivateMosquitto } from './mosquitto.ts';
import { type PrivatePostgres, startPrivatePostgres } from './postgres.ts';
import { type PrivateRedis, startPrivateRedis } from './redis.ts';

export interface PrivateInfra {
  readonly dir: string;
  readonly addresses: DemoInfrastructure;
  readonly kafka?: PrivateKafka;
  readonly postgres?: PrivatePostgres;
  readonly redis?: PrivateRedis;
  readonly mosquitto?: PrivateMosquitto;
  /** Stops everything and deletes the directory. */
  close(): Promise<void>;
}

const unused = 'unused://not-needed-by-this-pipeline';

export async function startPrivateInfra(
  needs: readonly InfrastructureNeed[],
  repoRoot: string,
  parentEnv: Readonly<Record<string, string>>,
  log: (line: string) => void,
): Promise<PrivateInfra> {
  const dir = await mkdtemp(join(tmpdir(), 'streamkit-chaos-'));
  const started: { stop(): Promise<void> }[] = [];
  const forget = onEmergencyCleanup(() => rmSync(dir, { recursive: true, force: true }));
  const close = async () => {
    for (const part of started.reverse()) await part.stop().catch(() => {});
    await rm(dir, { recursive: true, force: true });
    forget();
  };
  try {
    const timed = async <T extends { stop(): Promise<void> }>(what: string, start: () => Promise<T>) => {
      const t0 = performance.now();
      const part = await start();
      started.push(part);
      log(`private ${what} up in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
      return part;
    };
    // one at a time: a loaded 2-core machine starts each faster alone
    const kafka = needs.includes('kafka')
      ? await timed('Kafka', () => startPrivateKafka(dir, repoRoot, parentEnv))
      : undefined;
    const postgres = needs.includes('postgres')
      ? await timed('PostgreSQL', () => startPrivatePostgres(join(dir, 'postgres')))
      : undefined;
    const redis = needs.includes('redis') ? await timed('Redis', () => startPrivateRedis(dir)) : undefined;
    const mosquitto = needs.includes('mqtt')
      ? await timed('Mosquitto', () => startPrivateMosquitto(dir))
      : undefined;
    return {
      dir,
      addresses: {
        kafkaBrokers: kafka?.brokers ?? [],
        databaseUrl: postgres?.url ?? unused,
        redisUrl: redis?.url ?? unused,
        mqttUrl: mosquitto?.url ?? unused,
      },
      ...(kafka === undefined ? {} : { kafka }),
      ...(postgres === undefined ? {} : { postgres }),
      ...(redis === undefined ? {} : { redis }),
      ...(mosquitto === undefined ? {} : { mosquitto }),
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
