import { existsSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { readDotEnv } from './dotenv.ts';
import type { Lookup } from './interpolate.ts';
import type {
  BuildSpec,
  Dependency,
  DependencyCondition,
  Healthcheck,
  RestartPolicy,
  ServiceSpec,
} from './types.ts';
import { commandLine, parseDuration, parsePort, parseVolume } from './values.ts';

type Raw = Record<string, unknown>;

// Docker Engine's healthcheck defaults (docker run --health-*).
const HEALTH_DEFAULTS = {
  intervalMs: 30_000,
  timeoutMs: 30_000,
  retries: 3,
  startPeriodMs: 0,
  startIntervalMs: 5_000,
};
const CONDITIONS: readonly DependencyCondition[] = [
  'service_started',
  'service_healthy',
  'service_completed_successfully',
];

/**
 * One interpolated `services.<name>` entry in its normalized form. `file` is the compose file that
 * defines it: relative paths resolve against its directory. `lookup` is the interpolation
 * environment, which `environment: [KEY]` entries without a value read from.
 */
export function normalizeService(name: string, raw: unknown, file: string, lookup: Lookup): ServiceSpec {
  const where = `services.${name}`;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw new Error(`${file}: ${where}: expected a mapping`);
  const s = raw as Raw;
  const dir = dirname(file);
  // `~/` is the home of the shell compose runs in: HOME from the same environment as the interpolation
  const hostPath = (p: string) =>
    isAbsolute(p) ? p : resolve(dir, p.replace(/^~(?=\/)/, lookup('HOME') ?? '~'));
  const command = commandLine(s.command, `${where}.command`);
  const entrypoint = commandLine(s.entrypoint, `${where}.entrypoint`);
  const healthcheck = normalizeHealthcheck(s.healthcheck, `${where}.healthcheck`);
  const build = normalizeBuild(s.build, dir, `${where}.build`);
  return {
    name,
    file,
    ...(typeof s.image === 'string' ? { image: s.image } : {}),
    ...(build === undefined ? {} : { build }),
    ...(typeof s.pull_policy === 'string' ? { pullPolicy: s.pull_policy } : {}),
    ...(command === undefined ? {} : { command }),
    ...(entrypoint === undefined ? {} : { entrypoint }),
    environment: normalizeEnvironment(s, hostPath, lookup, where),
    profiles: Array.isArray(s.profiles) ? s.profiles.map(String) : [],
    dependsOn: normalizeDependsOn(s.depends_on, where),
    ...(healthcheck === undefined ? {} : { healthcheck }),
    restart: normalizeRestart(s.restart, `${where}.restart`),
    volumes: Array.isArray(s.volumes)
      ? s.volumes.map((v, i) => parseVolume(v, `${where}.volumes[${i}]`, hostPath))
      : [],
    ports: Array.isArray(s.ports) ? s.ports.map((p, i) => parsePort(p, `${where}.ports[${i}]`)) : [],
    ...(typeof s.user === 'string' ? { user: s.user } : {}),
    ...(typeof s.working_dir === 'string' ? { workingDir: s.working_dir } : {}),
    ...(typeof s.hostname === 'string' ? { hostname: s.hostname } : {}),
    stopGracePeriodMs:
      s.stop_grace_period === undefined
        ? 10_000
        : parseDuration(s.stop_grace_period, `${where}.stop_grace_period`),
  };
}

function normalizeBuild(value: unknown, dir: string, where: string): BuildSpec | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') {
    const context = resolve(dir, value);
    return { context, dockerfile: resolve(context, 'Dockerfile'), args: {} };
  }
  if (typeof value !== 'object') throw new Error(`${where}: expected a path or a mapping`);
  const b = value as Raw;
  const context = resolve(dir, typeof b.context === 'string' ? b.context : '.');
  const dockerfile = resolve(context, typeof b.dockerfile === 'string' ? b.dockerfile : 'Dockerfile');
  return { context, dockerfile, args: stringMap(b.args, `${where}.args`) };
}

function normalizeEnvironment(
  s: Raw,
  hostPath: (p: string) => string,
  lookup: Lookup,
  where: string,
): Record<string, string> {
  const out: Record<string, string> = {};
  const envFiles = s.env_file === undefined ? [] : [s.env_file].flat();
  for (const entry of envFiles) {
    const path = typeof entry === 'string' ? entry : (entry as { path?: string }).path;
    const required = typeof entry === 'string' ? true : (entry as { required?: boolean }).required !== false;
    if (typeof path !== 'string') throw new Error(`${where}.env_file: expected a path`);
    if (required && !existsSync(hostPath(path))) throw new Error(`${where}.env_file: ${path} not found`);
    Object.assign(out, readDotEnv(hostPath(path)));
  }
  const env = s.environment;
  if (Array.isArray(env)) {
    for (const item of env) {
      const text = String(item);
      const eq = text.indexOf('=');
      if (eq === -1) {
        const value = lookup(text);
        if (value !== undefined) out[text] = value;
      } else out[text.slice(0, eq)] = text.slice(eq + 1);
    }
  } else if (typeof env === 'object' && env !== null) {
    for (const [key, value] of Object.entries(env)) {
      if (value === null || value === undefined) {
        const fromShell = lookup(key);
        if (fromShell !== undefined) out[key] = fromShell;
      } else out[key] = String(value);
    }
  } else if (env !== undefined) throw new Error(`${where}.environment: expected a mapping or a list`);
  return out;
}

function normalizeDependsOn(value: unknown, where: string): Record<string, Dependency> {
  if (value === undefined || value === null) return {};
  if (Array.isArray(value))
    return Object.fromEntries(
      value.map((n) => [String(n), { condition: 'service_started', required: true }]),
    );
  if (typeof value !== 'object') throw new Error(`${where}.depends_on: expected a list or a mapping`);
  const out: Record<string, Dependency> = {};
  for (const [name, spec] of Object.entries(value)) {
    const d = (spec ?? {}) as { condition?: unknown; required?: unknown };
    const condition = (d.condition ?? 'service_started') as DependencyCondition;
    if (!CONDITIONS.includes(condition))
      throw new Error(
        `${where}.depends_on.${name}.condition: ${String(d.condition)} is not one of ${CONDITIONS.join(', ')}`,
      );
    out[name] = { condition, required: d.required !== false };
  }
  return out;
}

function normalizeHealthcheck(value: unknown, where: string): Healthcheck | undefined {
  if (value === undefined || value === null) return undefined;
  const h = value as Raw;
  if (h.disable === true) return { ...HEALTH_DEFAULTS, test: ['NONE'] };
  const rawTest = h.test;
  let test: string[];
  if (typeof rawTest === 'string') test = ['CMD-SHELL', rawTest];
  else if (Array.isArray(rawTest) && rawTest.length > 0) test = rawTest.map(String);
  else throw new Error(`${where}.test: expected a string or a list starting with CMD, CMD-SHELL or NONE`);
  if (!['CMD', 'CMD-SHELL', 'NONE'].includes(test[0] as string))
    throw new Error(`${where}.test: a list must start with CMD, CMD-SHELL or NONE (got ${test[0]})`);
  const duration = (key: string, fallback: number) =>
    h[key] === undefined ? fallback : parseDuration(h[key], `${where}.${key}`);
  const retries = h.retries === undefined ? HEALTH_DEFAULTS.retries : Number(h.retries);
  if (!Number.isInteger(retries) || retries < 0)
    throw new Error(`${where}.retries: expected an integer >= 0`);
  return {
    test,
    intervalMs: duration('interval', HEALTH_DEFAULTS.intervalMs),
    timeoutMs: duration('timeout', HEALTH_DEFAULTS.timeoutMs),
    retries: retries === 0 ? HEALTH_DEFAULTS.retries : retries,
    startPeriodMs: duration('start_period', HEALTH_DEFAULTS.startPeriodMs),
    startIntervalMs: duration('start_interval', HEALTH_DEFAULTS.startIntervalMs),
  };
}

function normalizeRestart(value: unknown, where: string): RestartPolicy {
  if (value === undefined || value === null || value === 'no' || value === false) return { kind: 'no' };
  const text = String(value);
  if (text === 'always' || text === 'unless-stopped') return { kind: text };
  const onFailure = /^on-failure(?::(\d+))?$/.exec(text);
  if (onFailure !== null)
    return onFailure[1] === undefined
      ? { kind: 'on-failure' }
      : { kind: 'on-failure', maxRetries: Number(onFailure[1]) };
  throw new Error(`${where}: ${text} is not one of no, always, unless-stopped, on-failure[:N]`);
}

function stringMap(value: unknown, where: string): Record<string, string> {
  if (value === undefined || value === null) return {};
  if (Array.isArray(value))
    return Object.fromEntries(
      value.map((item) => {
        const text = String(item);
        const eq = text.indexOf('=');
        return eq === -1 ? [text, ''] : [text.slice(0, eq), text.slice(eq + 1)];
      }),
    );
  if (typeof value !== 'object') throw new Error(`${where}: expected a mapping or a list`);
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, v === null ? '' : String(v)]));
}
