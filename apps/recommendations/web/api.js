// The storefront's HTTP client: a signed session per shopper (POST /sessions), events (POST /events)
// and JSON reads. The session token is kept in sessionStorage, the shopper id in localStorage.

const USER_KEY = 'streamkit-shop-user';
const SESSION_KEY = 'streamkit-shop-session';

export async function getJson(path) {
  const res = await fetch(path, { headers: { accept: 'application/json' } });
  if (!res.ok) throw new Error(`${path}: HTTP ${res.status}`);
  return res.json();
}

export function currentUserId() {
  const saved = localStorage.getItem(USER_KEY);
  if (saved) return saved;
  const fresh = `shopper-${Math.random().toString(36).slice(2, 8)}`;
  localStorage.setItem(USER_KEY, fresh);
  return fresh;
}

export function setUserId(userId) {
  localStorage.setItem(USER_KEY, userId);
  sessionStorage.removeItem(SESSION_KEY);
}

async function session(userId) {
  const saved = JSON.parse(sessionStorage.getItem(SESSION_KEY) ?? 'null');
  if (saved && saved.userId === userId && Date.parse(saved.expiresAt) > Date.now() + 60_000) return saved;
  const res = await fetch('/sessions', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ userId }),
  });
  if (!res.ok) throw new Error(`could not open a session (HTTP ${res.status})`);
  const fresh = await res.json();
  sessionStorage.setItem(SESSION_KEY, JSON.stringify(fresh));
  return fresh;
}

/** Sends one shopper event; resolves once the service accepted it (202). */
export async function sendEvent(userId, type, productId) {
  const s = await session(userId);
  const event = {
    eventId: `e-${crypto.randomUUID()}`,
    type,
    userId,
    sessionId: s.sessionId,
    productId,
    ts: new Date().toISOString(),
  };
  const res = await fetch('/events', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-session-token': s.token },
    body: JSON.stringify(event),
  });
  if (res.status === 401) sessionStorage.removeItem(SESSION_KEY);
  if (res.status !== 202) throw new Error(`event refused (HTTP ${res.status})`);
  return event;
}
