// Deterministic access-log records for the sink and dashboard tests: several routes, statuses,
// clients and request times spread over a few minutes of event time.
import type { AccessLog } from '@streamkit/schemas';
import { statusClassOf } from '@streamkit/schemas';

const ROUTES = [
  { route: '/products/:id', path: (i: number) => `/products/${i % 7}` },
  { route: '/cart', path: () => '/cart' },
  { route: '/search', path: () => '/search' },
  { route: '/users/:id/orders', path: (i: number) => `/users/${i % 3}/orders` },
] as const;
const STATUSES = [200, 200, 200, 201, 304, 404, 500, 503, 200, 302] as const;

/** `count` records starting at `startMs`, one every `stepMs` of event time, with stable ids. */
export function logRecords(options: {
  count: number;
  startMs: number;
  stepMs: number;
  idPrefix: string;
}): AccessLog[] {
  return Array.from({ length: options.count }, (_, i) => {
    const r = ROUTES[(i * 7) % ROUTES.length] ?? ROUTES[0];
    const status = STATUSES[(i * 3) % STATUSES.length] ?? 200;
    return {
      id: `${options.idPrefix}.${i}`,
      host: `web-${i % 3}.example.com`,
      ts: new Date(options.startMs + i * options.stepMs).toISOString(),
      method: 'GET',
      path: r.path(i),
      route: r.route,
      status,
      statusClass: statusClassOf(status),
      bytes: 100 + i,
      // whole milliseconds, the resolution the shipper gives every request time (request-time.ts)
      durationMs: (i * 37) % 100,
      clientIp: `10.0.${i % 5}.${(i * 11) % 23}`,
      userAgent: 'Mozilla/5.0',
      uaFamily: 'Firefox',
      isBot: false,
      source: 'file',
    };
  });
}
