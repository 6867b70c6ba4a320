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

export async function startPrivateKafka(
  dir: string,
  repoRoot: string,
  parentEnv: Readonly<Record<string, string>>,
): Promise<PrivateKafka> {
  const port = await freePortPair();
  const script = join(repoRoot, 'infra/kafka-local/kafka-local');
  const env = {
    ...parentEnv,
    KAFKA_LOCAL_DIR: join(dir, 'kafka'),
    KAFKA_LOCAL_PORT: String(port),
    KAFKA_LOCAL_HEAP: parentEnv.KAFKA_LOCAL_HEAP ?? '512m',
    KAFKA_LOCAL_START_TIMEOUT: '180',
  };
  const command = async (verb: 'start' | 'stop') => {
    try {
      await run(script, [verb], { env, maxBuffer: 4 * 1024 * 1024 });
    } catch (error) {
      const stderr = (error as { stderr?: string }).stderr ?? '';
      throw new Error(
        `kafka-local ${verb} (port ${port}) failed: ${stderr.trim().split('\n').slice(-10).join('\n')}`,
        {
          cause: error,
        },
      );
    }
  };
  // kafka-local starts the broker in its own session: kill it by its pid file if we must exit now
  onEmergency(() => {
    const pid = Number(readFileSync(join(env.KAFKA_LOCAL_DIR, 'kafka.pid'), 'utf8').trim());
    if (pid > 0) process.kill(pid, 'SIGKILL');
  });
  await command('start');
  return {
    name: 'kafka',
    brokers: [`127.0.0.1:${port}`],
    stop: () => command('stop'),
    start: () => command('start'),
  };
}
