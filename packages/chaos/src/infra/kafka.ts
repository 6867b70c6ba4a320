/**
 * A Kafka broker of the chaos run's own, through infra/kafka-local with its KAFKA_LOCAL_DIR and
 * KAFKA_LOCAL_PORT options: its own data/pid directory and ports, so `kafka-local stop` here never
 * reaches the shared broker on 9092.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { onEmergency } from '../emergency.ts';
import { freePortPair } from './ports.ts';
import type { RestartableInfra } from './restartable.ts';

const run = promisify(execFile);

export interface PrivateKafka extends RestartableInfra {
  readonly brokers: readonly string[];
}

/** Attempts at a first start: a port taken between our check and the broker's bind fails one. */
const startAttempts = 3;

export async function startPrivateKafka(
  dir: string,
  repoRoot: string,
  parentEnv: Readonly<Record<string, string>>,
): Promise<PrivateKafka> {
  const script = join(repoRoot, 'infra/kafka-local/kafka-local');
  for (let attempt = 1; ; attempt++) {
    const port = await freePortPair();
    const stateDir = join(dir, `kafka-${attempt}`);
    const env = {
      ...parentEnv,
      KAFKA_LOCAL_DIR: stateDir,
      KAFKA_LOCAL_PORT: String(port),
      KAFKA_LOCAL_HEAP: parentEnv.KAFKA_LOCAL_HEAP ?? '512m',
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
    // kafka-local starts the broker in its own session: kill it by its pid file if we must exit now
    onEmergency(() => {
      const pid = Number(readFileSync(join(stateDir, 'kafka.pid'), 'utf8').trim());
      if (pid > 0) process.kill(pid, 'SIGKILL');
    });
    try {
      await command('start');
    } catch (error) {
      if (attempt >= startAttempts) throw error;
      await command('stop').catch(() => {});
      continue;
    }
    return {
      name: 'kafka',
      brokers: [`127.0.0.1:${port}`],
      stop: () => command('stop'),
      start: () => command('start'),
    };
  }
}
