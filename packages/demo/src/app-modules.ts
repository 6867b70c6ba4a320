/**
 * What the repository's commands find in the apps: every app whose package.json declares
 * `"streamkit": { "<field>": "./src/<module>.ts" }` has that module's default export loaded, by
 * path, so the command's package never imports an app. `pnpm bench` and `pnpm chaos` use it.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

export interface AppModules<T> {
  readonly found: readonly T[];
  /** Apps whose module could not be loaded or is not a `what`, as messages; the others stay usable. */
  readonly problems: readonly string[];
}

export async function discoverAppModules<T>(
  appsRoot: string,
  declaration: {
    readonly field: string;
    readonly what: string;
    readonly accepts: (value: unknown) => value is T;
  },
): Promise<AppModules<T>> {
  const { field, what, accepts } = declaration;
  const found: T[] = [];
  const problems: string[] = [];
  let entries: string[] = [];
  try {
    entries = (await readdir(appsRoot, { withFileTypes: true }))
      .filter((e) => e.isDirectory())
      .map((e) => e.name);
  } catch {
    return { found, problems };
  }
  for (const entry of entries.sort()) {
    const appDir = join(appsRoot, entry);
    let path: unknown;
    try {
      const manifest = JSON.parse(await readFile(join(appDir, 'package.json'), 'utf8')) as {
        streamkit?: Record<string, unknown>;
      };
      path = manifest.streamkit?.[field];
    } catch {
      continue; // no package.json: not an app
    }
    if (path === undefined) continue;
    if (typeof path !== 'string') {
      problems.push(`${entry}: "streamkit.${field}" must be a path like "./src/${field}.ts"`);
      continue;
    }
    try {
      const module = (await import(pathToFileURL(resolve(appDir, path)).href)) as { default?: unknown };
      if (accepts(module.default)) found.push(module.default);
      else problems.push(`${entry}: ${path} must export a ${what} as default`);
    } catch (error) {
      problems.push(
        `${entry}: cannot load ${path}: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
  return { found, problems };
}
