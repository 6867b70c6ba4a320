import { chmodSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { BuildSpec } from '../compose/types.ts';
import { type BuiltImage, buildImage, layOutBaseLayer } from './build-image.ts';

/**
 * Images built once and shared: by every service that runs them in one rehearsal, and by several
 * rehearsals when they share the cache (the package's tests build each app's image once per run).
 */
export class ImageCache {
  readonly dir: string;
  private readonly builds = new Map<string, Promise<BuiltImage>>();
  private base: string | undefined;

  constructor(dir: string) {
    this.dir = dir;
    mkdirSync(dir, { recursive: true });
    // the services run as the image's user and walk through it to their image (mkdtemp makes 0700)
    chmodSync(dir, 0o755);
  }

  /** The built image; `fresh` is false when an earlier call (or rehearsal) built it. */
  async image(
    repoRoot: string,
    name: string,
    build: BuildSpec,
  ): Promise<{ image: BuiltImage; fresh: boolean }> {
    const existing = this.builds.get(name);
    if (existing !== undefined) return { image: await existing, fresh: false };
    const building = buildImage(
      repoRoot,
      name,
      build,
      join(this.dir, name.replace(/[^A-Za-z0-9_.-]+/g, '_')),
    );
    this.builds.set(name, building);
    building.catch(() => this.builds.delete(name));
    return { image: await building, fresh: true };
  }

  /** The Node.js base image's layer (this process's node as /usr/local/bin/node, /home/node). */
  baseLayer(): string {
    this.base ??= layOutBaseLayer(join(this.dir, 'node-base'), process.execPath);
    return this.base;
  }
}
