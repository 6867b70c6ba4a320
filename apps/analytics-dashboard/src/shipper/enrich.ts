import { type AccessLog, HTTP_METHODS, type HttpMethod, statusClassOf } from '@streamkit/schemas';
import type { ParsedLine } from './parsed-line.ts';
import { wholeMilliseconds } from './request-time.ts';
import { normalizeRoute } from './routes.ts';
import type { UserAgentClassifier } from './user-agents.ts';

export interface LineOrigin {
  readonly source: 'file' | 'http';
  /** the host to record when the line does not name one */
  readonly defaultHost: string;
  /** the line's stable id (file identity + offset), when it has one */
  readonly id?: string;
}

export type EnrichResult =
  | { readonly ok: true; readonly log: AccessLog }
  | { readonly ok: false; readonly reason: string };

const METHODS = new Set<string>(HTTP_METHODS);

/**
 * The AccessLog event of a parsed line: route normalized, request time in whole milliseconds
 * (`request-time.ts`), status class, user-agent family and bot flag added. Values the schema
 * cannot hold (an unknown method, status 999) are rejected here with a reason; the schema
 * validator still checks the rest (IP, host name, lengths).
 */
export function toAccessLog(line: ParsedLine, origin: LineOrigin, agents: UserAgentClassifier): EnrichResult {
  const method = line.method.toUpperCase();
  if (!METHODS.has(method)) return { ok: false, reason: `unknown HTTP method "${line.method.slice(0, 32)}"` };
  if (!Number.isInteger(line.status) || line.status < 100 || line.status > 599) {
    return { ok: false, reason: `status ${line.status} is not an HTTP status code` };
  }
  const agent = agents.classify(line.userAgent);
  // optional fields are assigned, not spread in: no temporary object per line (hot path)
  const log: { -readonly [K in keyof AccessLog]: AccessLog[K] } = {
    host: line.host ?? origin.defaultHost,
    ts: line.ts,
    method: method as HttpMethod,
    path: line.path,
    route: normalizeRoute(line.path),
    status: line.status,
    statusClass: statusClassOf(line.status),
    bytes: line.bytes,
    durationMs: wholeMilliseconds(line.durationMs),
    clientIp: line.clientIp,
    userAgent: line.userAgent,
    uaFamily: agent.family,
    isBot: agent.isBot,
    source: origin.source,
  };
  if (line.referrer !== undefined) log.referrer = line.referrer;
  if (origin.id !== undefined) log.id = origin.id;
  return { ok: true, log };
}
