import type { GeneratedRequest } from './access-line.ts';

/** A seeded PRNG (mulberry32): the same seed gives the same log, for tests and references. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const AGENTS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15',
  'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1',
  'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
  'curl/8.5.0',
];
const METHODS = ['GET', 'GET', 'GET', 'GET', 'POST', 'PUT', 'DELETE'];

export interface TrafficSettings {
  readonly seed: number;
  readonly hosts: readonly string[];
  /** share of 5xx answers (0..1) */
  readonly errorRate: number;
}

/**
 * Makes up plausible storefront requests: product pages by numeric id, orders by UUID, assets by
 * hash, a long tail of 404s and some 5xx, latencies with a heavy tail, a few bots.
 */
export function createTraffic(settings: TrafficSettings): (time: number) => GeneratedRequest {
  if (settings.hosts.length === 0) throw new RangeError('traffic needs at least one host');
  if (!(settings.errorRate >= 0 && settings.errorRate <= 1))
    throw new RangeError('errorRate must be in 0..1');
  const random = seededRandom(settings.seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const hex = (n: number) => Array.from({ length: n }, () => Math.floor(random() * 16).toString(16)).join('');
  const paths = [
    () => '/',
    () => `/products/${1 + Math.floor(random() * 500)}`,
    () => `/products/${1 + Math.floor(random() * 500)}/reviews`,
    () => `/orders/${hex(8)}-${hex(4)}-4${hex(3)}-a${hex(3)}-${hex(12)}`,
    () => `/static/app.${hex(20)}.js`,
    () => '/api/cart',
    () => '/search',
  ];
  return (time) => {
    const r = random();
    const status =
      r < settings.errorRate
        ? pick([500, 502, 503])
        : r < settings.errorRate + 0.05
          ? 404
          : pick([200, 200, 200, 304, 201]);
    const slow = random() < 0.05;
    return {
      time,
      host: pick(settings.hosts),
      method: pick(METHODS),
      path: pick(paths)(),
      ...(random() < 0.2 ? { query: `q=${hex(4)}` } : {}),
      status,
      bytes: status === 304 ? 0 : 200 + Math.floor(random() * 20_000),
      durationMs: Math.round((slow ? 200 + random() * 1800 : 2 + random() * 60) * 1000) / 1000,
      clientIp: `203.0.113.${1 + Math.floor(random() * 254)}`,
      userAgent: pick(AGENTS),
      ...(random() < 0.5 ? { referrer: 'https://shop.example/' } : {}),
    };
  };
}
