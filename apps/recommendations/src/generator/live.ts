import { createRandom } from '@streamkit/random';
import type { UserEvent } from '@streamkit/schemas';
import type { ShopperWorld } from './shoppers.ts';

/** An endless, deterministic stream of shopper events stamped with the time they are drawn. */
export interface LiveEventStream {
  next(nowMs: number): UserEvent;
}

/**
 * Interleaves whole sessions of random shoppers; each event gets `nowMs` as its event time. The
 * shoppers and products drawn depend on `seed` only; session and event ids also carry `run`
 * (default: this stream's start time), so a second demo run with the same seed sends new events
 * rather than ids the features worker already applied (and would skip as replays).
 */
export function createLiveEventStream(
  world: ShopperWorld,
  seed: number | string,
  run: string = Date.now().toString(36),
): LiveEventStream {
  const random = createRandom(`live:${seed}`);
  let queue: UserEvent[] = [];
  let sessions = 0;
  return {
    next(nowMs) {
      while (queue.length === 0) {
        const shopper = random.pick(world.shoppers);
        queue = world.session(shopper, `live-${String(seed)}-${run}-${sessions++}`, nowMs, random);
      }
      const event = queue.shift() as UserEvent;
      return { ...event, ts: new Date(nowMs).toISOString() };
    },
  };
}

export interface LivePostSettings {
  /** The web service's base URL, e.g. http://127.0.0.1:8070 (events go to POST /events). */
  url: string;
  /** The web service's key for trusted senders (WEB_EVENTS_API_KEY), sent as x-api-key. */
  apiKey?: string;
  ratePerSecond: number;
  durationMs: number;
  /** Events per request (POST /events takes one event or a batch). */
  batchSize?: number;
  signal?: AbortSignal;
}

export interface LivePostResult {
  sent: number;
  failed: number;
}

/** Posts live events at a steady rate until the duration ends or the signal aborts. */
export async function postLiveEvents(
  stream: LiveEventStream,
  settings: LivePostSettings,
): Promise<LivePostResult> {
  if (!(settings.ratePerSecond > 0))
    throw new RangeError(`ratePerSecond must be > 0, got ${settings.ratePerSecond}`);
  const batchSize = Math.max(1, settings.batchSize ?? Math.ceil(settings.ratePerSecond / 50));
  const intervalMs = (1000 * batchSize) / settings.ratePerSecond;
  const started = Date.now();
  let sent = 0;
  let failed = 0;
  for (let tick = 0; Date.now() - started < settings.durationMs && !settings.signal?.aborted; tick++) {
    const due = started + tick * intervalMs;
    const wait = due - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const now = Date.now();
    const batch = Array.from({ length: batchSize }, () => stream.next(now));
    try {
      const response = await fetch(new URL('/events', settings.url), {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(settings.apiKey === undefined ? {} : { 'x-api-key': settings.apiKey }),
        },
        body: JSON.stringify(batch),
        signal: settings.signal,
      });
      if (response.status === 202) sent += batch.length;
      else failed += batch.length;
    } catch {
      failed += batch.length;
    }
  }
  return { sent, failed };
}
