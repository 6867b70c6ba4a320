import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reservedFlagNames } from '../src/cli-args.ts';
import { discoverScenarios } from '../src/registry.ts';
import { defineScenario } from '../src/scenario.ts';

const builtIn = defineScenario({
  name: 'kafka-roundtrip',
  description: 'built in',
  setup: async () => ({ send: async () => {}, teardown: async () => {} }),
});

const scenarioModule = (names: string[], extra = '') => `
const setup = async () => ({ send: async () => {}, teardown: async () => {} });
export default [${names.map((n) => `{ name: '${n}', description: 'the ${n} pipeline', setup${extra} }`).join(', ')}];
`;

describe('scenario discovery', () => {
  let root = '';

  async function app(dir: string, manifest: unknown, files: Record<string, string> = {}): Promise<void> {
    await mkdir(join(root, 'apps', dir, 'src', 'loadgen'), { recursive: true });
    await writeFile(join(root, 'apps', dir, 'package.json'), JSON.stringify(manifest));
    for (const [path, text] of Object.entries(files)) await writeFile(join(root, 'apps', dir, path), text);
  }

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'loadgen-registry-'));
    const declared = { loadgenScenarios: './src/loadgen/index.ts' };
    await app(
      'fraud-detection',
      { name: '@streamkit/fraud-detection', streamkit: declared },
      {
        'src/loadgen/index.ts': scenarioModule(['fraud', 'fraud-burst']),
      },
    );
    await app(
      'iot',
      { name: '@streamkit/iot', streamkit: declared },
      { 'src/loadgen/index.ts': scenarioModule(['iot']) },
    );
    await app('no-scenarios', { name: '@streamkit/quiet' });
    await app(
      'not-an-array',
      { name: '@streamkit/odd', streamkit: declared },
      {
        'src/loadgen/index.ts': 'export default { name: "x" };',
      },
    );
    await app(
      'clash',
      { name: '@streamkit/clash', streamkit: declared },
      {
        'src/loadgen/index.ts': scenarioModule(['kafka-roundtrip', 'Bad Name']),
      },
    );
    await app(
      'reserved',
      { name: '@streamkit/reserved', streamkit: declared },
      {
        'src/loadgen/index.ts': scenarioModule(
          ['uses-rate'],
          `, options: { rate: { type: 'int', default: 1, description: 'x' } }`,
        ),
      },
    );
    await app('missing-module', {
      name: '@streamkit/missing',
      streamkit: { loadgenScenarios: './nowhere.ts' },
    });
    await mkdir(join(root, 'apps', 'no-manifest'));
  });
  afterAll(async () => {
    if (root) await rm(root, { recursive: true, force: true });
  });

  it('adds the scenarios apps declare in package.json to the built-in ones', async () => {
    const { registry } = await discoverScenarios({
      repoRoot: root,
      builtIns: [builtIn],
      reservedOptionNames: reservedFlagNames,
    });
    expect(registry.list().map((s) => s.name)).toEqual(['fraud', 'fraud-burst', 'iot', 'kafka-roundtrip']);
    expect(registry.get('kafka-roundtrip')).toBe(builtIn);
    expect(registry.get('fraud')?.description).toBe('the fraud pipeline');
  });

  it('reports each broken declaration by package and keeps the rest', async () => {
    const { problems } = await discoverScenarios({
      repoRoot: root,
      builtIns: [builtIn],
      reservedOptionNames: reservedFlagNames,
    });
    const messages = problems.map((p) => p.message);
    expect(messages).toHaveLength(5);
    expect(messages).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^@streamkit\/odd .*: the default export must be an array of scenarios$/),
        expect.stringMatching(
          /^@streamkit\/clash .*: scenario "kafka-roundtrip" is already defined by @streamkit\/loadgen$/,
        ),
        expect.stringMatching(/^@streamkit\/clash .*: scenario name "Bad Name" must match/),
        expect.stringMatching(
          /^@streamkit\/reserved .*: scenario "uses-rate" option --rate clashes with the CLI's own flag$/,
        ),
        expect.stringMatching(/^@streamkit\/missing .*nowhere\.ts\): cannot import/),
      ]),
    );
  });

  it('finds nothing to add where there is no apps folder', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'loadgen-registry-empty-'));
    try {
      const { registry, problems } = await discoverScenarios({ repoRoot: empty, builtIns: [builtIn] });
      expect(registry.list()).toEqual([builtIn]);
      expect(problems).toEqual([]);
    } finally {
      await rm(empty, { recursive: true });
    }
  });
});
