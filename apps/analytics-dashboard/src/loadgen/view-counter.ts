import { VIEWS } from '../views/catalog.ts';

/** The view the scenario reads its lines back from: it counts requests per route and minute. */
export const COUNTED_VIEW = 'latency_per_route_per_minute';
const WINDOW_MS = VIEWS[COUNTED_VIEW].windowMs;
/** Windows re-read on every poll at least; older ones only while they hold lines not yet seen. */
const OPEN_WINDOWS = 3;

export interface ViewCounterSettings {
  readonly dashboardUrl: string;
  /** DASHBOARD_API_KEY, sent as x-api-key. */
  readonly apiKey: string;
  /** the routes this run's lines carry, all starting with this prefix */
  readonly routePrefix: string;
  readonly fetchTimeoutMs: number;
}

/**
 * Counts this run's lines as the dashboard serves them: the sum of `requests` over the run's own
 * routes in `GET /api/views/latency_per_route_per_minute`. Each call reads the last few minute
 * windows, and further back to the window of the oldest line not yet counted (`oldestPendingMs`):
 * a pipeline lagging minutes behind (a broker restart) fills old windows late, and a counter that
 * stopped reading them never saw those lines (the chaos run's recoveries were all "never").
 * Windows no longer read keep their last count.
 */
export function createViewCounter(settings: ViewCounterSettings) {
  const perWindow = new Map<string, number>();
  const base = new URL(`/api/views/${COUNTED_VIEW}`, settings.dashboardUrl);

  return {
    async count(nowMs: number, oldestPendingMs = nowMs): Promise<number> {
      const url = new URL(base);
      const since = Math.min(nowMs - (OPEN_WINDOWS - 1) * WINDOW_MS, oldestPendingMs);
      const from = Math.floor(since / WINDOW_MS) * WINDOW_MS;
      url.searchParams.set('from', new Date(from).toISOString());
      url.searchParams.set('limit', '1000');
      const response = await fetch(url, {
        headers: { 'x-api-key': settings.apiKey },
        signal: AbortSignal.timeout(settings.fetchTimeoutMs),
      });
      if (!response.ok) throw new Error(`GET ${url.pathname}: HTTP ${response.status}`);
      const body = (await response.json()) as {
        rows: { window_start: string; route: string; requests: number }[];
      };
      const fresh = new Map<string, number>();
      for (const row of body.rows) {
        if (!row.route.startsWith(settings.routePrefix)) continue;
        fresh.set(row.window_start, (fresh.get(row.window_start) ?? 0) + Number(row.requests));
      }
      for (const [window, n] of fresh) perWindow.set(window, n);
      let total = 0;
      for (const n of perWindow.values()) total += n;
      return total;
    },
  };
}

/** `n` as lowercase letters (a, b, …, z, ba, …): route segments that route normalization keeps. */
export function letters(n: number): string {
  let s = '';
  let rest = n;
  do {
    s = String.fromCharCode(97 + (rest % 26)) + s;
    rest = Math.floor(rest / 26);
  } while (rest > 0);
  return s;
}
