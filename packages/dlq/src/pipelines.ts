import { readdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { DeadLetterSources } from '@streamkit/kafka';

/** The repository's apps/ folder, found from this file's place (packages/dlq/src/). */
export function defaultAppsRoot(): string {
  return fileURLToPath(new URL('../../../apps/', import.meta.url));
}

/** A pipeline's dead-letter declaration and where it was found. */
export interface DeclaredPipeline {
  readonly sources: DeadLetterSources;
  readonly module: string;
}

/**
 * Every app under `appsRoot` whose package.json declares `"streamkit": { "dlq": "<module>" }`,
 * with the module's `deadLetterSources` export. Packages never import apps: modules are loaded by
 * path. A broken declaration throws, naming the package.json.
 */
export async function discoverDlqPipelines(appsRoot: string): Promise<DeclaredPipeline[]> {
  let entries: string[];
  try {
    entries = (await readdir(appsRoot, { withFileTypes: true }))
      .filter((e) => e.isDirectory())
      .map((e) => e.name);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const found: DeclaredPipeline[] = [];
  for (const entry of entries.sort()) {
    const manifestPath = join(appsRoot, entry, 'package.json');
    let manifest: { streamkit?: { dlq?: unknown } };
    try {
      manifest = JSON.parse(await readFile(manifestPath, 'utf8'));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw new Error(`${manifestPath}: unreadable package.json`, { cause: error });
    }
    const declared = manifest.streamkit?.dlq;
    if (declared === undefined) continue;
    if (typeof declared !== 'string' || !declared.startsWith('./'))
      throw new Error(
        `${manifestPath}: "streamkit.dlq" must be a relative path like "./src/common/topics.ts"`,
      );
    const module = resolve(appsRoot, entry, declared);
    const loaded = (await import(pathToFileURL(module).href)) as { deadLetterSources?: unknown };
    found.push({ sources: checkSources(loaded.deadLetterSources, module), module });
  }
  for (const { sources } of found) {
    const twins = found.filter((f) => f.sources.pipeline === sources.pipeline);
    if (twins.length > 1)
      throw new Error(
        `pipeline "${sources.pipeline}" is declared twice: ${twins.map((t) => t.module).join(', ')}`,
      );
  }
  return found;
}

function checkSources(value: unknown, module: string): DeadLetterSources {
  const s = value as Partial<DeadLetterSources> | undefined;
  if (typeof s?.pipeline !== 'string' || s.pipeline === '' || typeof s.sourceTopics !== 'function')
    throw new Error(`${module}: export deadLetterSources must be { pipeline: string, sourceTopics(prefix) }`);
  return s as DeadLetterSources;
}
