const NUMBER = /^\d+$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const HEX_HASH = /^[0-9a-f]{16,}$/i;
/** long opaque tokens (base64url ids, session tokens): letters and digits mixed, 20+ characters */
const TOKEN = /^(?=.*\d)(?=.*[A-Za-z])[A-Za-z0-9_-]{20,}$/;
const MAX_ROUTE_LENGTH = 256;

/**
 * The path with its ids replaced by placeholders, so views can group requests by route:
 * `/products/123` → `/products/:id`, UUIDs → `:uuid`, hex digests → `:hash`, opaque tokens →
 * `:token`. A trailing slash is dropped (except for `/`); the result is at most 256 characters.
 */
export function normalizeRoute(path: string): string {
  const segments = path.split('/').map((segment) => {
    if (segment === '') return segment;
    if (NUMBER.test(segment)) return ':id';
    if (UUID.test(segment)) return ':uuid';
    if (HEX_HASH.test(segment)) return ':hash';
    if (TOKEN.test(segment)) return ':token';
    return segment;
  });
  let route = segments.join('/').replace(/\/{2,}/g, '/');
  if (route.length > 1 && route.endsWith('/')) route = route.slice(0, -1);
  if (route === '') route = '/';
  return route.length > MAX_ROUTE_LENGTH ? route.slice(0, MAX_ROUTE_LENGTH) : route;
}
