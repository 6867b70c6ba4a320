import type { UserEvent } from '@streamkit/schemas';
import type { LiveEventStream } from '../generator/index.ts';
import type { WebClient } from './http-client.ts';

export interface LiveShoppersSettings {
  readonly ratePerSecond: number;
  /** Events per POST (the web service takes batches). */
  readonly batchSize: number;
  readonly signal: AbortSignal;
  /** Called after each POST with how many events it carried and whether they were accepted. */
  readonly onResult: (events: number, accepted: boolean, error?: unknown) => void;
}

/**
 * Posts the generator's live shoppers to POST /events at a steady rate as a trusted sender (the
 * client carries `x-api-key`), until the signal aborts. Pacing is by schedule, not by sleep
 * after each request, so slow answers do not lower the rate.
 */
export async function postLiveShoppers(
  stream: LiveEventStream,
  client: WebClient,
  settings: LiveShoppersSettings,
): Promise<void> {
  if (!(settings.ratePerSecond > 0))
    throw new RangeError(`ratePerSecond must be > 0, got ${settings.ratePerSecond}`);
  const intervalMs = (1000 * settings.batchSize) / settings.ratePerSecond;
  const started = Date.now();
  for (let tick = 0; !settings.signal.aborted; tick++) {
    const wait = started + tick * intervalMs - Date.now();
    if (wait > 0) await abortableDelay(wait, settings.signal);
    if (settings.signal.aborted) break;
    const now = Date.now();
    const batch: UserEvent[] = Array.from({ length: settings.batchSize }, () => stream.next(now));
    // not awaited: a slow answer must not hold up the schedule (the client bounds the sockets)
    client.call('POST', '/events', 202, batch).then(
      () => settings.onResult(batch.length, true),
      (error: unknown) => settings.onResult(batch.length, false, error),
    );
  }
}

function abortableDelay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}
