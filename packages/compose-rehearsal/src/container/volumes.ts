import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Named volumes as Docker creates them: a fresh directory on first use, owned by root (0755). When a
 * container mounts an empty volume on a path its image has, the image's content there is copied in
 * first, owner and mode of the directory included; when the image lacks the path, the volume stays
 * root's — which a service running as `USER node` cannot write into.
 */
export class Volumes {
  private readonly dir: string;
  private readonly created = new Set<string>();

  constructor(dir: string) {
    this.dir = dir;
  }

  /**
   * The volume's directory for a container mounting it at `target`, whose image has its files under
   * `imageLayers` (searched in order). Returns what happened, for the progress line.
   */
  mount(name: string, target: string, imageLayers: readonly string[]): { source: string; note: string } {
    const source = join(this.dir, name, '_data');
    const isNew = !this.created.has(name);
    if (isNew) {
      mkdirSync(source, { recursive: true, mode: 0o755 });
      chmodSync(source, 0o755);
      this.created.add(name);
    }
    const fromImage = imageLayers.map((layer) => join(layer, target)).find((p) => existsSync(p));
    if (readdirSync(source).length === 0 && fromImage !== undefined) {
      execFileSync('cp', ['-a', `${fromImage}/.`, source]);
      const stat = statSync(fromImage);
      chownSync(source, stat.uid, stat.gid);
      chmodSync(source, stat.mode & 0o7777);
    }
    const stat = statSync(source);
    const owner = `owner ${stat.uid}:${stat.gid}, mode ${(stat.mode & 0o777).toString(8)}`;
    const origin = fromImage === undefined ? `the image has no ${target}` : `the image's ${target}`;
    return { source, note: `${isNew ? 'new' : 'existing'} volume, ${owner} (${origin})` };
  }
}
