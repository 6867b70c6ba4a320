/** A mosquitto of the chaos run's own: its own config file, a free port, persistence in the run's directory. */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type InfraProcess, portAnswers, spawnInfra, waitUntil } from './child.ts';
import { freePort } from './ports.ts';
import type { RestartableInfra } from './restartable.ts';

export interface PrivateMosquitto extends RestartableInfra {
  readonly url: string;
}

export async function startPrivateMosquitto(dir: string): Promise<PrivateMosquitto> {
  const dataDir = join(dir, 'mosquitto');
  await mkdir(dataDir, { recursive: true });
  const port = await freePort();
  const configFile = join(dataDir, 'mosquitto.conf');
  // persistence: sessions and queued QoS 1 messages survive the restart fault, as in a deployment
  await writeFile(
    configFile,
    [
      `listener ${port} 127.0.0.1`,
      'allow_anonymous true',
      'persistence true',
      `persistence_location ${dataDir}/`,
      'autosave_interval 1',
      'max_queued_messages 100000',
      'log_dest stderr',
      'log_type error',
      '',
    ].join('\n'),
  );
  let server: InfraProcess | undefined;
  const start = async () => {
    server = spawnInfra('mosquitto', ['-c', configFile]);
    const started = server;
    await waitUntil(
      () => portAnswers(port),
      30_000,
      () => `private mosquitto on ${port} (${started.tail()})`,
    );
  };
  await start();
  return {
    name: 'mosquitto',
    url: `mqtt://127.0.0.1:${port}`,
    stop: async () => server?.stop('SIGTERM'),
    start,
  };
}
