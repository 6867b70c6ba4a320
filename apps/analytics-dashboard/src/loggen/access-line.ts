/** One request, as the log generator makes it up and as the reference computations read it. */
export interface GeneratedRequest {
  /** epoch ms */
  readonly time: number;
  readonly host: string;
  readonly method: string;
  readonly path: string;
  readonly query?: string;
  readonly status: number;
  readonly bytes: number;
  readonly durationMs: number;
  readonly clientIp: string;
  readonly userAgent: string;
  readonly referrer?: string;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** "10/Oct/2000:13:55:36.250 +0000" (UTC, milliseconds kept so event-time windows are exact). */
export function clfTime(epochMs: number): string {
  const d = new Date(epochMs);
  return (
    `${pad(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:` +
    `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${pad(d.getUTCMilliseconds(), 3)} +0000`
  );
}

function quoted(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/**
 * The nginx "combined" line with the request time appended, in seconds with µs (more than nginx's
 * 3 decimals, so the shipper's rounding to whole ms is exercised; references round the same way).
 */
export function combinedLine(r: GeneratedRequest): string {
  const target = r.query === undefined ? r.path : `${r.path}?${r.query}`;
  return (
    `${r.clientIp} - - [${clfTime(r.time)}] ${quoted(`${r.method} ${target} HTTP/1.1`)} ${r.status} ` +
    `${r.bytes === 0 ? '-' : r.bytes} ${quoted(r.referrer ?? '-')} ${quoted(r.userAgent)} ${(r.durationMs / 1000).toFixed(6)}`
  );
}

/** The same request as a JSON line (nginx `escape=json` style field names). */
export function jsonLine(r: GeneratedRequest): string {
  return JSON.stringify({
    time: new Date(r.time).toISOString(),
    host: r.host,
    remote_addr: r.clientIp,
    request_method: r.method,
    request_uri: r.query === undefined ? r.path : `${r.path}?${r.query}`,
    status: r.status,
    body_bytes_sent: r.bytes,
    request_time: r.durationMs / 1000,
    http_referer: r.referrer ?? '',
    http_user_agent: r.userAgent,
  });
}
