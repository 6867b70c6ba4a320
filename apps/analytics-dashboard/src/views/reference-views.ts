// The views computed directly from the log records, in plain TypeScript: what every engine's
// numbers must equal (windows by event time, epoch-aligned, UTC; percentile_disc percentiles
// over the latency buckets of src/views/latency-buckets.ts).
import type { AccessLog } from '@streamkit/schemas';
import type { ViewRow } from '../dashboard/view-reader.ts';
import type { ViewName } from './catalog.ts';
import { latencyBucketMs } from './latency-buckets.ts';

type Line = Pick<AccessLog, 'ts' | 'statusClass' | 'route' | 'path' | 'clientIp' | 'durationMs'>;

const iso = (ms: number) => new Date(ms).toISOString();
const bin = (ts: string, width: number) => Math.floor(Date.parse(ts) / width) * width;

function groupBy<K>(lines: readonly Line[], key: (l: Line) => K): Map<K, Line[]> {
  const groups = new Map<K, Line[]>();
  for (const line of lines) {
    const k = key(line);
    const list = groups.get(k);
    if (list === undefined) groups.set(k, [line]);
    else list.push(line);
  }
  return groups;
}

function percentile(sorted: readonly number[], p: number): number {
  // smallest value whose cumulative share reaches p (p in percent, integer arithmetic)
  const rank = Math.max(1, Math.ceil((p * sorted.length) / 100));
  return sorted[rank - 1] as number;
}

function perWindow(lines: readonly Line[], width: number): [number, Line[]][] {
  return [...groupBy(lines, (l) => bin(l.ts, width)).entries()].sort((a, b) => a[0] - b[0]);
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export function referenceViews(lines: readonly Line[]): Record<ViewName, ViewRow[]> {
  const counts = (width: number) =>
    perWindow(lines, width).map(([start, ls]) => ({
      window_start: iso(start),
      window_end: iso(start + width),
      requests: ls.length,
    }));
  const minute = perWindow(lines, 60_000);
  return {
    requests_per_second: counts(1000),
    requests_per_10s: counts(10_000),
    status_per_minute: minute.flatMap(([start, ls]) =>
      [...groupBy(ls, (l) => l.statusClass).entries()]
        .sort((a, b) => cmp(a[0], b[0]))
        .map(([statusClass, group]) => ({
          window_start: iso(start),
          window_end: iso(start + 60_000),
          status_class: statusClass,
          requests: group.length,
        })),
    ),
    error_rate_per_minute: minute.map(([start, ls]) => {
      const errors = ls.filter((l) => l.statusClass === '5xx').length;
      return {
        window_start: iso(start),
        window_end: iso(start + 60_000),
        requests: ls.length,
        errors,
        error_rate: errors / ls.length,
      };
    }),
    latency_per_route_per_minute: minute.flatMap(([start, ls]) =>
      [...groupBy(ls, (l) => l.route).entries()]
        .sort((a, b) => cmp(a[0], b[0]))
        .map(([route, group]) => {
          // percentiles over the request times' bucket bounds, as every engine's view
          const sorted = group.map((l) => latencyBucketMs(l.durationMs)).sort((a, b) => a - b);
          return {
            window_start: iso(start),
            window_end: iso(start + 60_000),
            route,
            requests: group.length,
            p50_ms: percentile(sorted, 50),
            p95_ms: percentile(sorted, 95),
            p99_ms: percentile(sorted, 99),
          };
        }),
    ),
    top_paths_5m: perWindow(lines, 300_000).flatMap(([start, ls]) =>
      [...groupBy(ls, (l) => l.path).entries()]
        .map(([path, group]) => ({ path, requests: group.length }))
        .sort((a, b) => b.requests - a.requests || cmp(a.path, b.path))
        .slice(0, 10)
        .map((p, i) => ({
          window_start: iso(start),
          window_end: iso(start + 300_000),
          path: p.path,
          requests: p.requests,
          rank: i + 1,
        })),
    ),
    unique_clients_per_minute: minute.map(([start, ls]) => ({
      window_start: iso(start),
      window_end: iso(start + 60_000),
      unique_clients: new Set(ls.map((l) => l.clientIp)).size,
    })),
  };
}
