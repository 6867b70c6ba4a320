// There is no Docker engine here, so this runs infra/docker/Dockerfile's steps without Docker as far as
// they go: `turbo prune --docker`, the frozen production install of the pruned manifests, the pruned
// sources laid over them, and the app started from its folder. Plus a static check of the file itself.
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
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
    expect(pruner).toContain('turbo prune "$APP" --docker');
    const installer = byName.get('installer')?.body ?? '';
    expect(installer).toMatch(/--mount=type=cache[^\n]*\n?[^\n]*pnpm install --frozen-lockfile --prod/);
    expect(installer.indexOf('out/json/')).toBeLessThan(installer.indexOf('pnpm install'));
    expect(installer.indexOf('out/full/')).toBeGreaterThan(installer.indexOf('pnpm install'));
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
  let out: string;

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'streamkit-docker-test-'));
    out = join(work, 'out');
    // pruner stage: turbo prune "$APP" --docker
    await run(join(root, 'node_modules/.bin/turbo'), ['prune', app.name, '--docker', '--out-dir', out], {
      cwd: root,
      env,
    });
  });
  afterAll(() => {
    if (work !== undefined) rmSync(work, { recursive: true, force: true });
  });

  it('prunes to the app and the workspace packages it depends on, with manifests, sources and lockfile', () => {
    for (const path of [
      'json/package.json',
      'json/pnpm-workspace.yaml',
      'full/package.json',
      'pnpm-lock.yaml',
    ]) {
      expect(existsSync(join(out, path)), path).toBe(true);
    }
    expect(existsSync(join(out, 'json', app.dir, 'package.json'))).toBe(true);
    expect(existsSync(join(out, 'json', app.dir, 'src'))).toBe(false);
    expect(existsSync(join(out, 'full', app.dir, 'src/cli.ts'))).toBe(true);
    expect(existsSync(join(out, 'json/packages/config/package.json'))).toBe(true);
    // Unrelated packages stay out of the image.
    expect(existsSync(join(out, 'json/packages/kafka'))).toBe(false);
  });

  it('installs production dependencies from the pruned lockfile, frozen and offline, then runs the app', async () => {
    // installer stage: COPY out/json/ + out/pnpm-lock.yaml, pnpm install --frozen-lockfile --prod
    const image = join(work, 'app');
    cpSync(join(out, 'json'), image, { recursive: true });
    cpSync(join(out, 'pnpm-lock.yaml'), join(image, 'pnpm-lock.yaml'));
    await run('pnpm', ['install', '--frozen-lockfile', '--prod', '--offline'], {
      cwd: image,
      env,
    });
    const appModules = join(image, app.dir, 'node_modules');
    expect(existsSync(join(appModules, '@streamkit/config'))).toBe(true);
    expect(existsSync(join(appModules, 'vitest'))).toBe(false);

    // ...COPY out/full/ . — then the runner stage's command, from WORKDIR /app/$APP_DIR
    cpSync(join(out, 'full'), image, { recursive: true });
    const { stdout } = await run(process.execPath, ['src/cli.ts'], { cwd: join(image, app.dir), env });
    expect(stdout).toMatch(/^\s+hello\s+one echo HTTP service/m);
  });
});
