/**
 * Events per session per minute, counted in fixed one-minute windows. State is per process and
 * bounded: at most `maxSessions` sessions are tracked per window; beyond that new sessions are
 * refused until the window turns (a flood of fresh sessions cannot grow memory without bound).
 */
export interface SessionRateLimit {
  /** Takes `count` events from the session's allowance; the seconds to wait when it is used up. */
  take(sessionId: string, count: number, nowMs?: number): { ok: true } | { ok: false; retryAfterS: number };
}

export function createSessionRateLimit(perMinute: number, maxSessions = 100_000): SessionRateLimit {
  let window = -1;
  let used = new Map<string, number>();
  return {
    take(sessionId, count, nowMs = Date.now()) {
      const current = Math.floor(nowMs / 60_000);
      if (current !== window) {
        window = current;
        used = new Map();
      }
      const retryAfterS = Math.max(1, Math.ceil(((current + 1) * 60_000 - nowMs) / 1000));
      const before = used.get(sessionId);
      if (before === undefined && used.size >= maxSessions) return { ok: false, retryAfterS };
      const after = (before ?? 0) + count;
      if (after > perMinute) return { ok: false, retryAfterS };
      used.set(sessionId, after);
      return { ok: true };
    },
  };
}
