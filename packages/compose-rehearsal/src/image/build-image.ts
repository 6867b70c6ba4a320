import { execFile } from 'node:child_process';
import { chmodSync, chownSync, copyFileSync, existsSync, linkSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { processEnvironment } from '@streamkit/config';
import type { BuildSpec } from '../compose/types.ts';
import { type ImageConfig, readImageConfig } from './dockerfile-config.ts';

const run = promisify(execFile);

/** uid/gid of the `node` user of the official Node.js images. */
export const NODE_UID = 1000;

/** The one Dockerfile the rehearsal knows how to lay out (through infra/docker/build-image.sh). */
export const DOCKERFILE = 'infra/docker/Dockerfile';
const BUILD_SCRIPT = 'infra/docker/build-image.sh';

export interface BuiltImage {
  readonly name: string;
  /** The image's filesystem: `<root>/app` is /app, `<root>/var/…` its runtime directories. */
  readonly root: string;
  readonly config: ImageConfig;
  readonly seconds: number;
}

/**
 * Lays out the image `name` in `<dir>` the way infra/docker/Dockerfile builds it — the same
 * build-image.sh, `all` of its steps (turbo prune, frozen production install, sources, runtime
 * directories) — and reads its runtime settings (ENV, WORKDIR, USER) from the Dockerfile's last stage.
 */
export async function buildImage(
  repoRoot: string,
  name: string,
  build: BuildSpec,
  dir: string,
): Promise<BuiltImage> {
  if (build.dockerfile !== join(repoRoot, DOCKERFILE))
    throw new Error(`${name}: built from ${build.dockerfile}; only ${DOCKERFILE} can be rehearsed`);
  const app = build.args.APP;
  if (app === undefined || app === '') throw new Error(`${name}: build.args.APP is not set`);
  const started = Date.now();
  mkdirSync(dir, { recursive: true, mode: 0o755 });
  try {
    await run('sh', [join(repoRoot, BUILD_SCRIPT), 'all', app, dir, '--prefer-offline'], {
      cwd: build.context,
      env: processEnvironment({
        PATH: `${join(repoRoot, 'node_modules/.bin')}:${processEnvironment().PATH ?? ''}`,
        TURBO_TELEMETRY_DISABLED: '1',
        NODE_ENV: undefined,
      }),
      maxBuffer: 64 * 1024 * 1024,
    });
  } catch (error) {
    const detail = error instanceof Error && 'stderr' in error ? String(error.stderr) : String(error);
    throw new Error(
      `${name}: ${BUILD_SCRIPT} all ${app} failed: ${detail.trim().split('\n').slice(-8).join('\n')}`,
    );
  }
  return {
    name,
    root: dir,
    config: readImageConfig(build.dockerfile, build.args),
    seconds: (Date.now() - started) / 1000,
  };
}

/**
 * What the Node.js base image adds to this machine's filesystem in the rehearsal: /usr/local/bin/node
 * (this process's Node, linked in) and the `node` user's home. Returns its root.
 */
export function layOutBaseLayer(dir: string, nodeBinary: string): string {
  mkdirSync(join(dir, 'usr/local/bin'), { recursive: true, mode: 0o755 });
  const target = join(dir, 'usr/local/bin/node');
  if (!existsSync(target)) {
    try {
      linkSync(nodeBinary, target);
    } catch {
      copyFileSync(nodeBinary, target);
      chmodSync(target, 0o755);
    }
  }
  const home = join(dir, 'home/node');
  mkdirSync(home, { recursive: true });
  chownSync(home, NODE_UID, NODE_UID);
  chmodSync(home, 0o755);
  return dir;
}
