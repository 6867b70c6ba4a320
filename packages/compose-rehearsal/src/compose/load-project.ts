import { readFileSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { readDotEnv } from './dotenv.ts';
import { interpolateTree, type Lookup } from './interpolate.ts';
import { normalizeService } from './service.ts';
import type { ComposeProject, ServiceSpec } from './types.ts';

export interface LoadOptions {
  /** The shell environment: it wins over `.env` files, as in Compose. */
  readonly environment: Readonly<Record<string, string | undefined>>;
  /** `docker compose -p <name>`. */
  readonly projectName?: string;
}

type Env = Readonly<Record<string, string | undefined>>;

interface Loaded {
  readonly files: string[];
  readonly services: Map<string, ServiceSpec>;
  readonly volumes: Map<string, { name?: string }>;
}

/**
 * Loads a compose project the way `docker compose` does: the `.env` beside the first file supplies
 * interpolation defaults (the shell wins); each file is parsed as YAML with anchors, aliases and `<<`
 * merge keys resolved, then interpolated (values, not keys); `include` entries load as their own
 * sub-projects (paths relative to the including file, their own `.env` as defaults under the
 * parent's environment); a service or volume defined twice is an error.
 */
export function loadProject(file: string, options: LoadOptions): ComposeProject {
  const path = resolve(file);
  const env: Env = { ...readDotEnv(resolve(dirname(path), '.env')), ...options.environment };
  const unset = new Set<string>();
  const loaded: Loaded = { files: [], services: new Map(), volumes: new Map() };
  const doc = loadFile(path, env, unset, loaded, []);
  const name =
    options.projectName ?? env.COMPOSE_PROJECT_NAME ?? stringOr(doc.name) ?? basename(dirname(path));
  return {
    name: name.toLowerCase().replace(/[^a-z0-9_-]/g, ''),
    files: loaded.files,
    services: loaded.services,
    volumes: loaded.volumes,
    unsetVariables: [...unset],
  };
}

function loadFile(
  path: string,
  env: Env,
  unset: Set<string>,
  into: Loaded,
  chain: string[],
): Record<string, unknown> {
  if (chain.includes(path)) throw new Error(`include cycle: ${[...chain, path].join(' → ')}`);
  let parsed: unknown;
  try {
    parsed = parseYaml(readFileSync(path, 'utf8'), { merge: true, prettyErrors: true });
  } catch (error) {
    throw new Error(`${path}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new Error(`${path}: a compose file is a mapping`);
  const lookup: Lookup = (name) => env[name];
  const doc = interpolateTree(parsed, lookup, '', unset) as Record<string, unknown>;
  into.files.push(path);

  for (const [i, entry] of (asList(doc.include, `${path}: include`) ?? []).entries()) {
    const spec = typeof entry === 'string' ? { path: entry } : (entry as Record<string, unknown>);
    const paths = [spec.path].flat().map((p) => {
      if (typeof p !== 'string') throw new Error(`${path}: include[${i}].path: expected a path`);
      return resolve(dirname(path), p);
    });
    const projectDir =
      typeof spec.project_directory === 'string'
        ? resolve(dirname(path), spec.project_directory)
        : dirname(paths[0] as string);
    const envFiles =
      spec.env_file === undefined
        ? [resolve(projectDir, '.env')]
        : [spec.env_file].flat().map((f) => resolve(dirname(path), String(f)));
    // the included file's .env gives defaults; the including project's environment wins
    const includedEnv: Env = { ...Object.assign({}, ...envFiles.map(readDotEnv)), ...env };
    for (const p of paths) loadFile(p, includedEnv, unset, into, [...chain, path]);
  }

  const services = doc.services ?? {};
  if (typeof services !== 'object' || Array.isArray(services))
    throw new Error(`${path}: services: expected a mapping`);
  for (const [name, raw] of Object.entries(services as Record<string, unknown>)) {
    if (into.services.has(name))
      throw new Error(`${path}: service ${name} is also defined in ${into.services.get(name)?.file}`);
    into.services.set(name, normalizeService(name, raw, path, lookup));
  }
  for (const [name, raw] of Object.entries((doc.volumes ?? {}) as Record<string, unknown>)) {
    const volume = (raw ?? {}) as { name?: unknown };
    const existing = into.volumes.get(name);
    if (existing !== undefined && existing.name !== stringOr(volume.name))
      throw new Error(`${path}: volume ${name} is defined differently in two files`);
    into.volumes.set(name, typeof volume.name === 'string' ? { name: volume.name } : {});
  }
  return doc;
}

function asList(value: unknown, where: string): unknown[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) throw new Error(`${where}: expected a list`);
  return value;
}

function stringOr(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}
