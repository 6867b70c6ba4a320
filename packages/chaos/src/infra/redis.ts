/**
 * A redis-server of the chaos run's own on a free port, durable the way a deployment that keeps
 * state in Redis must be: append-only file fsynced on every write. `kill()` is `kill -9`;
 * `wipe()` deletes its files, so the next start is empty (the data-loss fault).
 */
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { type InfraProcess, portAnswers, spawnInfra, waitUntil } from './child.ts';
import { freePort } from './ports.ts';
import type { RestartableInfra } from './restartable.ts';

export interface PrivateRedis extends RestartableInfra {
  readonly url: string;
  /** kill -9: what was acknowledged is in the append-only file */
  kill(): Promise<void>;
  /** Deletes the data files (while stopped). */
  wipe(): Promise<void>;
}

export async function startPrivateRedis(dir: string): Promise<PrivateRedis> {
  const dataDir = join(dir, 'redis');
  await mkdir(dataDir, { recursive: true });
  const port = await freePort();
  let server: InfraProcess | undefined;
  const start = async () => {
    server = spawnInfra('redis-server', [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--dir',
      dataDir,
      '--save',
      '',
      '--appendonly',
      'yes',
      '--appendfsync',
      'always',
    ]);
    const started = server;
    await waitUntil(
      () => portAnswers(port),
      30_000,
      () => `private redis on ${port} (${started.tail()})`,
    );
  };
  await start();
  return {
    name: 'redis',
    url: `redis://127.0.0.1:${port}`,
    stop: async () => server?.stop('SIGTERM'),
    kill: async () => server?.stop('SIGKILL'),
    start,
    async wipe() {
      await rm(dataDir, { recursive: true, force: true });
      await mkdir(dataDir, { recursive: true });
    },
  };
}
