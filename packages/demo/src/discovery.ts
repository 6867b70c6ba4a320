import { readdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { DuplicatePipelineError, InvalidPipelineError } from './errors.ts';
import type { DemoPipeline } from './types.ts';
import { parsePipeline } from './validate-pipeline.ts';

export interface DiscoveredPipeline {
  readonly pipeline: DemoPipeline;
  /** 'built-in', or the package.json that declared it. */
  readonly source: string;
}

export interface Discovery {
  readonly pipelines: readonly DiscoveredPipeline[];
  /** Apps whose demo module could not be loaded; the others stay usable. */
  readonly failures: readonly InvalidPipelineError[];
}

/** The repository's apps/ folder, found from this file's place (packages/demo/src/). */
export function defaultAppsRoot(): string {
  return fileURLToPath(new URL('../../../apps/', import.meta.url));
}

async function readDemoEntry(packageJsonPath: string): Promise<string | undefined> {
  let text: string;
  try {
    text = await readFile(packageJsonPath, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  let manifest: unknown;
  try {
    manifest = JSON.parse(text);
  } catch (error) {
    throw new InvalidPipelineError(packageJsonPath, ['package.json is not valid JSON'], error);
  }
  const streamkit = (manifest as { streamkit?: unknown }).streamkit;
  if (streamkit === undefined) return undefined;
  const demo = (streamkit as { demo?: unknown } | null)?.demo;
  if (demo === undefined) return undefined;
  if (typeof demo !== 'string' || demo === '') {
    throw new InvalidPipelineError(packageJsonPath, ['"streamkit.demo" must be a path like "./src/demo.ts"']);
  }
  return demo;
}

async function loadAppPipeline(appDir: string): Promise<DiscoveredPipeline | undefined> {
  const packageJsonPath = join(appDir, 'package.json');
  const entry = await readDemoEntry(packageJsonPath);
  if (entry === undefined) return undefined;
  let module: { default?: unknown };
  try {
    module = (await import(pathToFileURL(resolve(appDir, entry)).href)) as { default?: unknown };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new InvalidPipelineError(packageJsonPath, [`cannot load ${entry}: ${reason}`], error);
  }
  return {
    pipeline: parsePipeline(module.default, `${packageJsonPath} (${entry})`),
    source: packageJsonPath,
  };
}

async function listAppDirs(appsRoot: string): Promise<string[]> {
  try {
    const entries = await readdir(appsRoot, { withFileTypes: true });
    return entries
      .filter((e) => e.isDirectory())
      .map((e) => join(appsRoot, e.name))
      .sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

/**
 * Built-in pipelines plus every app under `appsRoot` whose package.json declares
 * `"streamkit": { "demo": "./src/demo.ts" }`. Packages never import apps: the modules are loaded by path.
 */
export async function discoverPipelines(options: {
  appsRoot: string;
  builtins: readonly DemoPipeline[];
}): Promise<Discovery> {
  const pipelines: DiscoveredPipeline[] = options.builtins.map((pipeline) => ({
    pipeline: parsePipeline(pipeline, `built-in ${pipeline.name}`),
    source: 'built-in',
  }));
  const failures: InvalidPipelineError[] = [];
  for (const appDir of await listAppDirs(options.appsRoot)) {
    try {
      const found = await loadAppPipeline(appDir);
      if (found !== undefined) pipelines.push(found);
    } catch (error) {
      if (!(error instanceof InvalidPipelineError)) throw error;
      failures.push(error);
    }
  }
  for (const { pipeline } of pipelines) {
    const sources = pipelines.filter((p) => p.pipeline.name === pipeline.name).map((p) => p.source);
    if (sources.length > 1) throw new DuplicatePipelineError(pipeline.name, sources);
  }
  return { pipelines, failures };
}
