/**
 * Which scenarios exist: the built-in ones plus those that workspace apps declare in their
 * package.json — `"streamkit": { "loadgenScenarios": "./src/loadgen/index.ts" }`, a module whose
 * default export is `Scenario[]`. Found by scanning the repository, so this package never imports
 * an app (dependencies point from apps to packages only).
 */
import { readdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ScenarioDiscoveryError } from './errors.ts';
import { type Scenario, scenarioNamePattern } from './scenario.ts';

export interface ScenarioRegistry {
  get(name: string): Scenario | undefined;
  /** Sorted by name. */
  list(): readonly Scenario[];
}

export interface DiscoveryOptions {
  readonly repoRoot: string;
  readonly builtIns: readonly Scenario[];
  /** Folders under the root whose children are scanned for package.json. Default: ['apps']. */
  readonly workspaceFolders?: readonly string[];
  /** Flags the CLI owns: a scenario option may not reuse them. */
  readonly reservedOptionNames?: readonly string[];
  /** Loads a module by file URL (replaced in tests). */
  readonly importModule?: (url: string) => Promise<unknown>;
}

export interface Discovery {
  readonly registry: ScenarioRegistry;
  /** Packages whose scenarios could not be loaded; the others still are. */
  readonly problems: readonly ScenarioDiscoveryError[];
}

interface Declaration {
  readonly packageName: string;
  readonly modulePath: string;
}

export async function discoverScenarios(options: DiscoveryOptions): Promise<Discovery> {
  const importModule = options.importModule ?? ((url: string) => import(url));
  const reserved = options.reservedOptionNames ?? [];
  const problems: ScenarioDiscoveryError[] = [];
  const found: Scenario[] = [];
  const origin = new Map<string, string>();
  const add = (scenario: Scenario, source: string): void => {
    const problem = checkScenario(scenario, reserved);
    const previous = origin.get(scenario.name);
    if (problem) problems.push(new ScenarioDiscoveryError(source, problem));
    else if (previous) {
      problems.push(
        new ScenarioDiscoveryError(source, `scenario "${scenario.name}" is already defined by ${previous}`),
      );
    } else {
      origin.set(scenario.name, source);
      found.push(scenario);
    }
  };

  for (const scenario of options.builtIns) add(scenario, '@streamkit/loadgen');
  for (const folder of options.workspaceFolders ?? ['apps']) {
    for (const declaration of await findDeclarations(join(options.repoRoot, folder), problems)) {
      const source = `${declaration.packageName} (${declaration.modulePath})`;
      let loaded: unknown;
      try {
        loaded = await importModule(pathToFileURL(declaration.modulePath).href);
      } catch (error) {
        problems.push(new ScenarioDiscoveryError(source, `cannot import: ${messageOf(error)}`, error));
        continue;
      }
      const list = (loaded as { default?: unknown } | null)?.default;
      if (!Array.isArray(list)) {
        problems.push(new ScenarioDiscoveryError(source, 'the default export must be an array of scenarios'));
        continue;
      }
      for (const scenario of list as Scenario[]) add(scenario, source);
    }
  }
  return { registry: createScenarioRegistry(found), problems };
}

export function createScenarioRegistry(scenarios: readonly Scenario[]): ScenarioRegistry {
  const byName = new Map(scenarios.map((s) => [s.name, s]));
  const sorted = [...byName.values()].sort((a, b) => a.name.localeCompare(b.name));
  return { get: (name) => byName.get(name), list: () => sorted };
}

/** Why `value` is not a usable scenario, or undefined when it is. */
function checkScenario(value: unknown, reserved: readonly string[]): string | undefined {
  if (typeof value !== 'object' || value === null) return 'a scenario must be an object';
  const s = value as Partial<Scenario>;
  if (typeof s.name !== 'string' || !scenarioNamePattern.test(s.name)) {
    return `scenario name ${JSON.stringify(s.name)} must match ${scenarioNamePattern}`;
  }
  if (typeof s.description !== 'string') return `scenario "${s.name}" needs a description`;
  if (typeof s.setup !== 'function') return `scenario "${s.name}" needs a setup function`;
  for (const option of Object.keys(s.options ?? {})) {
    if (reserved.includes(option))
      return `scenario "${s.name}" option --${option} clashes with the CLI's own flag`;
  }
  return undefined;
}

async function findDeclarations(folder: string, problems: ScenarioDiscoveryError[]): Promise<Declaration[]> {
  let entries: string[];
  try {
    entries = (await readdir(folder, { withFileTypes: true }))
      .filter((e) => e.isDirectory())
      .map((e) => e.name);
  } catch {
    return []; // no such folder: nothing declared
  }
  const declarations: Declaration[] = [];
  for (const entry of entries.sort()) {
    const packageDir = join(folder, entry);
    const manifestPath = join(packageDir, 'package.json');
    let manifest: { name?: unknown; streamkit?: { loadgenScenarios?: unknown } };
    try {
      manifest = JSON.parse(await readFile(manifestPath, 'utf8'));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
      problems.push(
        new ScenarioDiscoveryError(manifestPath, `unreadable package.json: ${messageOf(error)}`, error),
      );
      continue;
    }
    const declared = manifest.streamkit?.loadgenScenarios;
    if (declared === undefined) continue;
    const packageName = typeof manifest.name === 'string' ? manifest.name : entry;
    if (typeof declared !== 'string') {
      problems.push(
        new ScenarioDiscoveryError(packageName, '"streamkit.loadgenScenarios" must be a relative path'),
      );
      continue;
    }
    declarations.push({ packageName, modulePath: resolve(packageDir, declared) });
  }
  return declarations;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
