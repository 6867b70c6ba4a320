import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { discoverAppModules } from '../src/app-modules.ts';

let root: string;

async function app(name: string, streamkit: unknown, module?: string) {
  const dir = join(root, name);
  await mkdir(join(dir, 'src'), { recursive: true });
  await writeFile(join(dir, 'package.json'), JSON.stringify({ name, streamkit }));
  if (module !== undefined) await writeFile(join(dir, 'src', 'plan.mjs'), module);
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'app-modules-'));
  await app('a-good', { plan: './src/plan.mjs' }, "export default { pipeline: 'a' };");
  await app('b-none', { demo: './src/demo.ts' });
  await app('c-not-a-path', { plan: 42 });
  await app('d-wrong-shape', { plan: './src/plan.mjs' }, 'export default { nope: true };');
  await app('e-throws', { plan: './src/plan.mjs' }, "throw new Error('broken plan');");
  await mkdir(join(root, 'f-no-manifest'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('discoverAppModules', () => {
  it('loads each declared module, in app order, and names what is wrong with the others', async () => {
    const { found, problems } = await discoverAppModules(root, {
      field: 'plan',
      what: 'Plan',
      accepts: (v): v is { pipeline: string } => typeof (v as { pipeline?: unknown })?.pipeline === 'string',
    });
    expect(found).toEqual([{ pipeline: 'a' }]);
    expect(problems).toEqual([
      'c-not-a-path: "streamkit.plan" must be a path like "./src/plan.ts"',
      'd-wrong-shape: ./src/plan.mjs must export a Plan as default',
      'e-throws: cannot load ./src/plan.mjs: broken plan',
    ]);
  });

  it('finds nothing where there is no apps folder', async () => {
    const none = await discoverAppModules(join(root, 'missing'), {
      field: 'plan',
      what: 'Plan',
      accepts: (v): v is unknown => v !== undefined,
    });
    expect(none).toEqual({ found: [], problems: [] });
  });
});
