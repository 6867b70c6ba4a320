import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { discoverPipelines } from '../src/discovery.ts';
import { DuplicatePipelineError, InvalidPipelineError } from '../src/errors.ts';
import { createHelloPipeline } from '../src/pipelines/hello/pipeline.ts';
import type { DemoPipeline } from '../src/types.ts';
import { fixtureAppsRoot } from './cli-process.ts';

const hello = createHelloPipeline({ port: 3400, host: '127.0.0.1' });

describe('discoverPipelines', () => {
  it("finds built-ins and every app whose package.json declares streamkit.demo, with the module's pipeline", async () => {
    const { pipelines } = await discoverPipelines({ appsRoot: fixtureAppsRoot, builtins: [hello] });

    expect(pipelines.map((p) => p.pipeline.name).sort()).toEqual([
      'bootstrap-fails',
      'bootstrapped',
      'crashy',
      'hello',
      'stubborn',
    ]);
    const crashy = pipelines.find((p) => p.pipeline.name === 'crashy');
    expect(crashy?.source).toBe(join(fixtureAppsRoot, 'crashy', 'package.json'));
    expect(crashy?.pipeline.services.map((s) => s.name)).toEqual(['steady', 'crasher']);
    expect(crashy?.pipeline.services[0]?.cwd).toBe(join(fixtureAppsRoot, 'crashy/'));
    expect(pipelines.find((p) => p.pipeline.name === 'hello')?.source).toBe('built-in');
  });

  it('reports an app with an invalid demo module as a failure, listing every problem, and keeps the rest', async () => {
    const { pipelines, failures } = await discoverPipelines({ appsRoot: fixtureAppsRoot, builtins: [] });

    expect(pipelines.length).toBe(4);
    expect(failures).toHaveLength(1);
    const failure = failures[0];
    expect(failure).toBeInstanceOf(InvalidPipelineError);
    expect(failure?.source).toContain(join('broken', 'package.json'));
    expect(failure?.problems).toEqual([
      'name must be lowercase letters, digits and dashes',
      'description must be a string',
      'needs must be an array of: kafka, postgres, redis, mqtt',
      'services must be a non-empty array',
    ]);
  });

  it('ignores apps without streamkit.demo and an apps root that does not exist', async () => {
    const missing = await discoverPipelines({
      appsRoot: join(fixtureAppsRoot, 'no-such-dir'),
      builtins: [hello],
    });
    expect(missing.pipelines.map((p) => p.pipeline.name)).toEqual(['hello']);

    const { pipelines } = await discoverPipelines({ appsRoot: fixtureAppsRoot, builtins: [] });
    expect(pipelines.map((p) => p.source).some((s) => s.includes('no-demo'))).toBe(false);
  });

  it('refuses two pipelines with the same name', async () => {
    const impostor: DemoPipeline = { ...hello, name: 'crashy' };

    await expect(discoverPipelines({ appsRoot: fixtureAppsRoot, builtins: [impostor] })).rejects.toThrow(
      DuplicatePipelineError,
    );
  });
});
