/**
 * A PostgreSQL cluster of the chaos run's own: `initdb` into a temporary directory (trust auth),
 * `postgres` on a free port, its socket in that directory. The machine's cluster on 5432 is never
 * touched.
 */
import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { chmod, chown, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { type InfraProcess, type RunAs, spawnInfra, waitUntil } from './child.ts';
import { freePort } from './ports.ts';
import type { RestartableInfra } from './restartable.ts';

const run = promisify(execFile);

/** The newest /usr/lib/postgresql/<version>/bin, or PATH's binaries. */
export function postgresBinDir(): string {
  try {
    const versions = readdirSync('/usr/lib/postgresql')
      .filter((v) => /^\d+$/.test(v))
      .sort((a, b) => Number(b) - Number(a));
    if (versions[0] !== undefined) return join('/usr/lib/postgresql', versions[0], 'bin');
  } catch {
    // no Debian layout: rely on PATH
  }
  return '';
}

export interface PrivatePostgres extends RestartableInfra {
  readonly url: string;
}

/** As root (containers, CI), the cluster runs as the `postgres` system user: PostgreSQL refuses root. */
async function unprivilegedUser(): Promise<RunAs | undefined> {
  if (process.getuid?.() !== 0) return undefined;
  const id = async (flag: string) => Number((await run('id', [flag, 'postgres'])).stdout.trim());
  try {
    return { uid: await id('-u'), gid: await id('-g') };
  } catch {
    throw new Error('running as root and there is no "postgres" user to run the private PostgreSQL as');
  }
}

export async function startPrivatePostgres(dir: string): Promise<PrivatePostgres> {
  const bin = postgresBinDir();
  const tool = (name: string) => (bin === '' ? name : join(bin, name));
  const dataDir = join(dir, 'pgdata');
  await mkdir(dir, { recursive: true });
  const runAs = await unprivilegedUser();
  if (runAs !== undefined) {
    // the run's directory is root's (0700): let the postgres user through to its own folder
    await chmod(join(dir, '..'), 0o711);
    await chown(dir, runAs.uid, runAs.gid);
  }
  await run(tool('initdb'), ['-D', dataDir, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--no-sync'], {
    env: { LC_ALL: 'C', PATH: '/usr/bin:/bin' },
    ...runAs,
  });
  const port = await freePort();
  let server: InfraProcess | undefined;

  const ready = () =>
    run(tool('pg_isready'), ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', '-t', '1']).then(
      () => true,
      () => false,
    );
  const start = async () => {
    // fsync off: a killed server still leaves its writes in the OS cache; the machine never crashes here
    server = spawnInfra(
      tool('postgres'),
      [
        '-D',
        dataDir,
        '-p',
        String(port),
        '-h',
        '127.0.0.1',
        '-k',
        dir,
        '-c',
        'fsync=off',
        '-c',
        'max_connections=200',
      ],
      runAs,
    );
    const started = server;
    await waitUntil(ready, 60_000, () => `private postgres on ${port} (${started.tail()})`);
  };
  await start();
  return {
    name: 'postgres',
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    // SIGINT: fast shutdown, every client is disconnected, as in a real restart
    stop: async () => server?.stop('SIGINT'),
    start,
  };
}
