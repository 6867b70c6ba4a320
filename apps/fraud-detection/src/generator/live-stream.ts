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
  /**
   * The wall clock the payments' times must not run ahead of (the gateway refuses a `ts` beyond
   * EVENT_TIME_MAX_FUTURE_SKEW_MS): sent faster than real time, the simulation would soon be dated
   * hours ahead. Given, a payment ahead of it is dated now instead and the rest of the stream moves
   * back with it, so times stay in order and intervals stay real until the clock catches up.
   */
  readonly clock?: () => number;
}

/**
 * An endless stream: one simulated day after another, the same cards throughout. Event time starts
 * at `startMs` and follows the simulation, so intervals inside a scenario (seconds between probes,
 * hours between flights) are always the real ones, whatever rate the payments are sent at.
 */
export function* liveStream(settings: LiveStreamSettings): Generator<LabelledPayment> {
  const { clock } = settings;
  if (clock === undefined) {
    yield* simulation(settings);
    return;
  }
  let behindMs = 0;
  for (const labelled of simulation(settings)) {
    const ts = Date.parse(labelled.payment.ts);
    behindMs = Math.max(behindMs, ts - clock());
    yield behindMs === 0
      ? labelled
      : { ...labelled, payment: { ...labelled.payment, ts: new Date(ts - behindMs).toISOString() } };
  }
}

function* simulation(settings: LiveStreamSettings): Generator<LabelledPayment> {
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
