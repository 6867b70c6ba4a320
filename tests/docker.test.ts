// There is no Docker engine here, so this runs infra/docker/Dockerfile's steps without Docker: the
// Dockerfile's stages run infra/docker/build-image.sh, and so does this test (`all` of its steps: turbo
// prune --docker, the frozen production install of the pruned manifests, the pruned sources over
// them, the runtime directories), then starts the app from its folder. Plus a static check of the file.
// `pnpm compose:rehearse` (packages/compose-rehearsal) runs whole compose profiles from such an image.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { processEnvironment } from '@streamkit/config';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';

const run = promisify(execFile);
const root = fileURLToPath(new URL('..', import.meta.url));
const dockerfile = readFileSync(join(root, 'infra/docker/Dockerfile'), 'utf8');
const buildScript = readFileSync(join(root, 'infra/docker/build-image.sh'), 'utf8');
const app = { name: '@streamkit/demo', dir: 'packages/demo' };
const env = processEnvironment({ TURBO_TELEMETRY_DISABLED: '1', NODE_ENV: 'production' });

interface Stage {
  readonly image: string;
  readonly name: string;
  readonly body: string;
}

/** FROM <image> AS <name> blocks, with the instructions that follow each. */
function stages(text: string): Stage[] {
  const lines = text.split('\n').filter((l) => !l.trimStart().startsWith('#'));
  const found: Stage[] = [];
  for (const line of lines) {
    const from = /^FROM\s+(\S+)\s+AS\s+(\S+)/i.exec(line);
    if (from) found.push({ image: from[1] as string, name: from[2] as string, body: '' });
    else if (found.length > 0) {
      const last = found.pop() as Stage;
      found.push({ ...last, body: `${last.body}${line}\n` });
    }
  }
  return found;
}

describe('infra/docker/Dockerfile (static)', () => {
  const byName = new Map(stages(dockerfile).map((s) => [s.name, s]));

  it('has the base, pruner, installer and runner stages, in that order', () => {
    expect([...byName.keys()]).toEqual(['base', 'pruner', 'installer', 'runner']);
  });

  it('builds FROM Node 24 pinned to a minor version, never latest', () => {
    const images = [...dockerfile.matchAll(/^FROM\s+(\S+)/gim)].map((m) => m[1] as string);
    const external = images.filter((i) => !byName.has(i));
    expect(external.length).toBeGreaterThan(0);
    for (const image of external) expect(image).toMatch(/^node:24\.\d+-[a-z]+-slim$/);
    expect(dockerfile).not.toMatch(/:latest\b/);
  });

  it('prunes for ARG APP, installs production dependencies frozen with a store cache, and copies out/full after', () => {
    const pruner = byName.get('pruner')?.body ?? '';
    expect(pruner).toMatch(/^ARG APP$/m);
    expect(pruner).toContain('infra/docker/build-image.sh prune "$APP" out');
    const installer = byName.get('installer')?.body ?? '';
    expect(installer).toMatch(/--mount=type=cache,id=pnpm-store,target=\/pnpm\/store/);
    expect(installer).toContain('build-image.sh install /app --store-dir=/pnpm/store');
    expect(installer.indexOf('out/json/')).toBeLessThan(installer.indexOf('build-image.sh install'));
    expect(installer.indexOf('out/full/')).toBeGreaterThan(installer.indexOf('build-image.sh install'));
    // the steps themselves
    expect(buildScript).toContain('turbo prune "$1" --docker --out-dir "$2"');
    expect(buildScript).toContain('pnpm install --frozen-lockfile --prod "$@"');
  });

  it('creates the directories the services write to, owned by node, before dropping to it', () => {
    const runner = byName.get('runner')?.body ?? '';
    expect(runner.indexOf('build-image.sh runtime-dirs /')).toBeGreaterThan(-1);
    expect(runner.indexOf('build-image.sh runtime-dirs /')).toBeLessThan(runner.indexOf('USER node'));
    // every named volume mounted by a service of ours is one of them (else the volume is root's)
    const runtimeDirs = /^RUNTIME_DIRS="([^"]+)"$/m.exec(buildScript)?.[1]?.split(' ') ?? [];
    const volumeTargets = readdirSync(join(root, 'infra/compose'))
      .filter((f) => f.endsWith('.yaml'))
      .flatMap((f) => {
        const doc = parseYaml(readFileSync(join(root, 'infra/compose', f), 'utf8'), { merge: true }) as {
          services?: Record<string, { image?: string; build?: unknown; volumes?: string[] }>;
        };
        return Object.values(doc.services ?? {})
          .filter((svc) => svc.build !== undefined || svc.image?.startsWith('streamkit/') === true)
          .flatMap((svc) => (svc.volumes ?? []).map((v) => v.split(':')[1] as string));
      });
    expect(volumeTargets.length).toBeGreaterThan(0);
    expect(runtimeDirs).toEqual(expect.arrayContaining([...new Set(volumeTargets)]));
  });

  it('runs as the node user in production mode from the app folder', () => {
    const runner = byName.get('runner')?.body ?? '';
    expect(runner).toMatch(/^USER node$/m);
    expect(runner).toMatch(/^ENV NODE_ENV=production$/m);
    expect(runner).toMatch(/^WORKDIR \/app\/\$\{APP_DIR\}$/m);
    expect(runner).not.toMatch(/^RUN .*(pnpm|npm) (install|ci)/m);
  });

  it('installs the same turbo version as the pnpm catalog', () => {
    const workspace = parseYaml(readFileSync(join(root, 'pnpm-workspace.yaml'), 'utf8')) as {
      catalog: Record<string, string>;
    };
    expect(dockerfile).toContain(`ARG TURBO_VERSION=${workspace.catalog.turbo}`);
  });

  it('keeps node_modules, build output and secrets out of the build context', () => {
    const ignored = readFileSync(join(root, 'infra/docker/Dockerfile.dockerignore'), 'utf8').split('\n');
    expect(ignored).toEqual(expect.arrayContaining(['**/node_modules', '**/dist', '**/.env', '.git']));
  });
});

describe('infra/docker/Dockerfile (its steps, run without Docker)', () => {
  let work: string;
  let image: string;

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'streamkit-docker-test-'));
    image = join(work, 'root');
    // every stage's step, into a directory that plays the image's filesystem (/app is <root>/app)
    await run('sh', ['infra/docker/build-image.sh', 'all', app.name, image, '--offline'], {
      cwd: root,
      env: { ...env, PATH: `${join(root, 'node_modules/.bin')}:${env.PATH ?? ''}` },
    });
  });
  afterAll(() => {
    if (work !== undefined) rmSync(work, { recursive: true, force: true });
  });

  it('holds the app and the workspace packages it depends on, with manifests, sources and lockfile', () => {
    for (const path of [
      'package.json',
      'pnpm-workspace.yaml',
      'pnpm-lock.yaml',
      join(app.dir, 'src/cli.ts'),
    ]) {
      expect(existsSync(join(image, 'app', path)), path).toBe(true);
    }
    expect(existsSync(join(image, 'app/packages/config/package.json'))).toBe(true);
    // Unrelated packages stay out of the image.
    expect(existsSync(join(image, 'app/packages/kafka'))).toBe(false);
  });

  it('installs production dependencies only, from the pruned lockfile, frozen and offline', () => {
    const appModules = join(image, 'app', app.dir, 'node_modules');
    expect(existsSync(join(appModules, '@streamkit/config'))).toBe(true);
    expect(existsSync(join(appModules, 'vitest'))).toBe(false);
  });

  it('creates the runtime directories, owned by node (uid 1000) where the build runs as root', () => {
    for (const dir of ['var/lib/streamkit/lake', 'var/log/streamkit', 'var/lib/shipper']) {
      const stat = statSync(join(image, dir));
      expect(stat.isDirectory(), dir).toBe(true);
      if (process.getuid?.() === 0) expect(stat.uid, dir).toBe(1000);
    }
  });

  it("runs the app from the image's WORKDIR", async () => {
    const { stdout } = await run(process.execPath, ['src/cli.ts'], { cwd: join(image, 'app', app.dir), env });
    expect(stdout).toMatch(/^\s+hello\s+one echo HTTP service/m);
  });
});
