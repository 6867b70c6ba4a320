import { type ParseResult, pathOf, rejected } from './parsed-line.ts';

type Json = Record<string, unknown>;

/** The first of `names` that the object holds (JSON access logs name their fields differently). */
function pick(object: Json, names: readonly string[]): unknown {
  for (const name of names) if (object[name] !== undefined && object[name] !== null) return object[name];
  return undefined;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function numeric(value: unknown): number | undefined {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof n === 'number' && Number.isFinite(n) ? n : undefined;
}

/**
 * One JSON access-log line. Accepts streamkit's own field names (ts, method, path, status, bytes,
 * durationMs, clientIp, userAgent, referrer, host) and the common nginx/ECS-ish aliases
 * (time, @timestamp, request_method, request_uri, body_bytes_sent, request_time in seconds,
 * remote_addr, http_user_agent, http_referer).
 */
export function parseJsonLine(line: string): ParseResult {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch (error) {
    return rejected(`invalid JSON: ${(error as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return rejected('a JSON log line must be an object');
  }
  const o = parsed as Json;
  const time = pick(o, ['ts', 'time', '@timestamp', 'timestamp']);
  const date =
    typeof time === 'number' ? new Date(time) : typeof time === 'string' ? new Date(time) : undefined;
  if (date === undefined || Number.isNaN(date.getTime()))
    return rejected('missing or unreadable timestamp (ts)');
  const method = text(pick(o, ['method', 'request_method']));
  const target = text(pick(o, ['path', 'request_uri', 'uri', 'url']));
  const status = numeric(pick(o, ['status']));
  if (method === undefined) return rejected('missing method');
  if (target === undefined) return rejected('missing path');
  if (status === undefined) return rejected('missing status');
  const seconds = numeric(o.request_time);
  // microsecond rounding: 0.042 s is 42 ms, not 42.00000000000001
  const durationMs =
    numeric(pick(o, ['durationMs', 'duration_ms'])) ??
    (seconds === undefined ? 0 : Math.round(seconds * 1_000_000) / 1000);
  const referrer = text(pick(o, ['referrer', 'http_referer', 'referer']));
  const host = text(pick(o, ['host', 'server_name']));
  return {
    ok: true,
    line: {
      ts: date.toISOString(),
      method,
      path: pathOf(target),
      status,
      bytes: numeric(pick(o, ['bytes', 'body_bytes_sent', 'size'])) ?? 0,
      durationMs,
      clientIp: text(pick(o, ['clientIp', 'remote_addr', 'client_ip', 'ip'])) ?? '',
      userAgent: text(pick(o, ['userAgent', 'http_user_agent', 'user_agent'])) ?? '',
      ...(referrer === undefined || referrer === '' || referrer === '-' ? {} : { referrer }),
      ...(host === undefined ? {} : { host }),
    },
  };
}
