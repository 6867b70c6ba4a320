/**
 * A Kafka broker of a test's (or a chaos run's) own, through infra/kafka-local with its
 * KAFKA_LOCAL_DIR and KAFKA_LOCAL_PORT options: its own data/pid directory and ports, so stopping it
 * never reaches the shared broker on 9092.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { processEnvironment } from '@streamkit/config';
import { freePortPair } from './stable-ports.ts';

const run = promisify(execFile);

export interface PrivateKafka {
  readonly name: 'kafka';
  readonly brokers: readonly string[];
  /** The broker's pid file (to kill it synchronously when a process must exit at once). */
  readonly pidFile: string;
  /** Starts it (again: same port, same data); resolves once it answers. */
  start(): Promise<void>;
  /** Stops it (kafka-local stop: SIGTERM, then SIGKILL after its timeout). */
  stop(): Promise<void>;
}

export interface PrivateKafkaOptions {
  /** The environment kafka-local runs with (PATH, JAVA_HOME…; default the process's). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Default 512m. */
  readonly heap?: string;
}

/**
 * A broker on two free ports with its state under `dir`, not started: `start()` it (a test of a
 * service that starts while Kafka is down starts the broker later).
 */
export async function preparePrivateKafka(
  dir: string,
  repoRoot: string,
  options: PrivateKafkaOptions = {},
): Promise<PrivateKafka> {
  const script = join(repoRoot, 'infra/kafka-local/kafka-local');
  const port = await freePortPair();
  const parentEnv = options.env ?? processEnvironment();
  const env = {
    ...parentEnv,
    KAFKA_LOCAL_DIR: dir,
    KAFKA_LOCAL_PORT: String(port),
    KAFKA_LOCAL_HEAP: options.heap ?? parentEnv.KAFKA_LOCAL_HEAP ?? '512m',
    KAFKA_LOCAL_START_TIMEOUT: '180',
  };
  const command = async (verb: 'start' | 'stop') => {
    try {
      await run(script, [verb], { env, maxBuffer: 4 * 1024 * 1024 });
    } catch (error) {
      const output = `${(error as { stdout?: string }).stdout ?? ''}${(error as { stderr?: string }).stderr ?? ''}`;
      const tail = output.trim().split('\n').slice(-15).join('\n');
      throw new Error(`kafka-local ${verb} (port ${port}) failed: ${tail}`, { cause: error });
    }
  };
  return {
    name: 'kafka',
    brokers: [`127.0.0.1:${port}`],
    pidFile: join(dir, 'kafka.pid'),
    start: () => command('start'),
    stop: () => command('stop'),
  };
}

/** Attempts at a first start: a port taken between our check and the broker's bind fails one. */
const startAttempts = 3;

/**
 * A private broker, started. `beforeStart` sees each attempt's broker first (e.g. to register a
 * last-resort kill by its pid file).
 */
export async function startPrivateKafka(
  dir: string,
  repoRoot: string,
  options: PrivateKafkaOptions & { readonly beforeStart?: (kafka: PrivateKafka) => void } = {},
): Promise<PrivateKafka> {
  for (let attempt = 1; ; attempt++) {
    const kafka = await preparePrivateKafka(join(dir, `kafka-${attempt}`), repoRoot, options);
    options.beforeStart?.(kafka);
    try {
      await kafka.start();
      return kafka;
    } catch (error) {
      if (attempt >= startAttempts) throw error;
      await kafka.stop().catch(() => {});
    }
  }
}
