import type { LabelledPayment } from './draft.ts';
import { generatePayments } from './stream.ts';

const DAY = 86_400_000;

export interface LiveStreamSettings {
  readonly seed: number;
  readonly cards: number;
  readonly startMs: number;
  readonly fraudPerCardDay: number;
  /** no attacks in the first simulated minutes of the first day */
  readonly warmupMs: number;
}

/**
 * An endless stream: one simulated day after another, the same cards throughout. Event time starts
 * at `startMs` and follows the simulation, so intervals inside a scenario (seconds between probes,
 * hours between flights) are always the real ones, whatever rate the payments are sent at.
 */
export function* liveStream(settings: LiveStreamSettings): Generator<LabelledPayment> {
  for (let block = 0; ; block++) {
    yield* generatePayments({
      seed: settings.seed,
      cards: settings.cards,
      days: 1,
      block,
      startMs: settings.startMs + block * DAY,
      fraudPerCardDay: settings.fraudPerCardDay,
      warmupMs: block === 0 ? settings.warmupMs : 0,
    });
  }
}
