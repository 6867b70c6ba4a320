/** Parsers of the small value formats compose files use: durations, command lines, ports, volumes. */
import type { PortMapping, VolumeMount } from './types.ts';

const UNIT_MS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

/** A Go duration ("1m30s", "10s", "500ms", "1.5h") or a number of seconds, in milliseconds. */
export function parseDuration(value: unknown, where: string): number {
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return value * 1000;
  if (typeof value !== 'string' || value.trim() === '')
    throw new Error(`${where}: expected a duration such as "10s", got ${JSON.stringify(value)}`);
  const text = value.trim();
  if (text === '0') return 0;
  let total = 0;
  let rest = text;
  while (rest !== '') {
    const match = /^(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/.exec(rest);
    if (match === null)
      throw new Error(`${where}: expected a duration such as "10s", got ${JSON.stringify(value)}`);
    total += Number(match[1]) * (UNIT_MS[match[2] as string] as number);
    rest = rest.slice(match[0].length);
  }
  return total;
}

/**
 * A command given as a string, split as Compose does (shell-like words and quotes, no shell: no
 * variables, globbing or operators). A list is taken as it is.
 */
export function commandLine(value: unknown, where: string): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (Array.isArray(value)) return value.map((v) => String(v));
  if (typeof value !== 'string')
    throw new Error(`${where}: expected a string or a list, got ${typeof value}`);
  const words: string[] = [];
  let word: string | undefined;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < value.length; i++) {
    const c = value[i] as string;
    if (quote !== undefined) {
      if (c === quote) quote = undefined;
      else if (c === '\\' && quote === '"' && i + 1 < value.length) word = (word ?? '') + value[++i];
      else word = (word ?? '') + c;
    } else if (c === '"' || c === "'") {
      quote = c;
      word ??= '';
    } else if (c === '\\' && i + 1 < value.length) word = (word ?? '') + value[++i];
    else if (/\s/.test(c)) {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else word = (word ?? '') + c;
  }
  if (quote !== undefined) throw new Error(`${where}: unterminated ${quote} in ${JSON.stringify(value)}`);
  if (word !== undefined) words.push(word);
  return words;
}

/** `ports:` entries: "8080", "8080:80", "127.0.0.1:8080:80", "[::1]:8080:80/udp", or the long syntax. */
export function parsePort(value: unknown, where: string): PortMapping {
  if (typeof value === 'number') return { target: value, protocol: 'tcp' };
  if (typeof value === 'object' && value !== null) {
    const p = value as { target?: unknown; published?: unknown; host_ip?: unknown; protocol?: unknown };
    const target = Number(p.target);
    if (!Number.isInteger(target)) throw new Error(`${where}.target: expected a port number`);
    return {
      target,
      ...(p.published === undefined ? {} : { published: String(p.published) }),
      ...(p.host_ip === undefined ? {} : { hostIp: String(p.host_ip) }),
      protocol: p.protocol === undefined ? 'tcp' : String(p.protocol),
    };
  }
  if (typeof value !== 'string')
    throw new Error(`${where}: expected a port mapping, got ${JSON.stringify(value)}`);
  const [spec, protocol = 'tcp'] = value.split('/');
  let rest = spec as string;
  let hostIp: string | undefined;
  const ipv6 = /^\[([^\]]+)\]:(.*)$/.exec(rest);
  if (ipv6 !== null) {
    hostIp = ipv6[1];
    rest = ipv6[2] as string;
  }
  const parts = rest.split(':');
  if (hostIp === undefined && parts.length === 3) hostIp = parts.shift();
  if (parts.length > 2 || parts.length === 0) throw new Error(`${where}: cannot read port mapping ${value}`);
  const target = Number(parts.at(-1));
  if (!Number.isInteger(target)) throw new Error(`${where}: cannot read the container port of ${value}`);
  return {
    target,
    ...(parts.length === 2 ? { published: parts[0] as string } : {}),
    ...(hostIp === undefined ? {} : { hostIp }),
    protocol,
  };
}

/** `volumes:` of a service: "name:/path[:ro]", "./dir:/path", "/path" (anonymous), or the long syntax. */
export function parseVolume(
  value: unknown,
  where: string,
  resolveHostPath: (p: string) => string,
): VolumeMount {
  if (typeof value === 'object' && value !== null) {
    const v = value as { type?: unknown; source?: unknown; target?: unknown; read_only?: unknown };
    if (typeof v.target !== 'string') throw new Error(`${where}.target: expected a path`);
    const type =
      v.type === 'bind' ? 'bind' : v.type === 'volume' || v.type === undefined ? 'volume' : undefined;
    if (type === undefined)
      throw new Error(`${where}.type: ${String(v.type)} is not rehearsed (volume or bind)`);
    const source = typeof v.source === 'string' ? v.source : undefined;
    return {
      type,
      ...(source === undefined ? {} : { source: type === 'bind' ? resolveHostPath(source) : source }),
      target: v.target,
      readOnly: v.read_only === true,
    };
  }
  if (typeof value !== 'string') throw new Error(`${where}: expected a volume, got ${JSON.stringify(value)}`);
  const parts = value.split(':');
  if (parts.length === 1) return { type: 'volume', target: value, readOnly: false };
  const [source, target, mode = 'rw'] = parts as [string, string, string?];
  const readOnly = mode.split(',').includes('ro');
  const isPath = /^[./~]/.test(source);
  return isPath
    ? { type: 'bind', source: resolveHostPath(source), target, readOnly }
    : { type: 'volume', source, target, readOnly };
}
