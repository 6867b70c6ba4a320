import { createRandom } from '@streamkit/random';
import type { UserEvent } from '@streamkit/schemas';
import { createShopperWorld, type ShopperSettings, type ShopperWorld } from './shoppers.ts';

export interface HistorySettings extends ShopperSettings {
  /** Event time of the first session (epoch ms). */
  startMs: number;
  /** Sessions start uniformly within [startMs, startMs + durationMs). */
  durationMs: number;
  /** Mean sessions per user over the period. */
  sessionsPerUser: number;
}

/** A deterministic history of shopper events, sorted by event time. */
export function simulateHistory(
  settings: HistorySettings,
  world: ShopperWorld = createShopperWorld(settings),
): UserEvent[] {
  const random = createRandom(`history:${settings.seed}:${settings.startMs}`);
  const events: UserEvent[] = [];
  for (const shopper of world.shoppers) {
    const r = random.fork(shopper.userId);
    const sessions = Math.max(1, r.poisson(settings.sessionsPerUser));
    for (let s = 0; s < sessions; s++) {
      const start = settings.startMs + Math.floor(r.next() * settings.durationMs);
      events.push(...world.session(shopper, settingsSessionNumber(settings.startMs, s), start, r));
    }
  }
  events.sort((a, b) => (a.ts < b.ts ? -1 : a.ts > b.ts ? 1 : a.eventId < b.eventId ? -1 : 1));
  return events;
}

const DAY_MS = 86_400_000;

/**
 * `days` of history ending at `nowMs` — its last hours feed the recommender's 1 h / 24 h popularity
 * windows — with `sessionsPerUserPerDay` sessions per shopper and day on average.
 */
export function recentHistory(
  world: ShopperWorld,
  period: { readonly days: number; readonly sessionsPerUserPerDay: number },
  nowMs: number,
): UserEvent[] {
  const durationMs = period.days * DAY_MS;
  return simulateHistory(
    {
      ...world.settings,
      startMs: nowMs - durationMs,
      durationMs,
      sessionsPerUser: period.days * period.sessionsPerUserPerDay,
    },
    world,
  );
}

// session ids must stay unique across periods of the same world (train period, held-out period)
function settingsSessionNumber(startMs: number, s: number): string | number {
  return `${startMs.toString(36)}-${s}`;
}
