import { type DeliverySettings, deliveryOrder } from './delivery.ts';
import type { FaultLabel } from './faults.ts';
import type { Fleet } from './fleet.ts';
import type { ReadingPublisher } from './publisher.ts';

export interface SimulatorRun {
  readonly fleet: Fleet;
  readonly publisher: ReadingPublisher;
  readonly delivery?: Partial<DeliverySettings>;
  /** First tick and tick after the last (default: forever). */
  readonly fromTick?: number;
  readonly toTick?: number;
  /**
   * Simulated time per wall-clock time: 1 = real time (readings carry the current time when the
   * fleet starts now), 60 = an hour per minute, Infinity = as fast as the broker takes them.
   */
  readonly speedup: number;
  readonly signal?: AbortSignal;
  /** Told about every fault starting in a tick before its readings go out (the label stream). */
  readonly onFault?: (fault: FaultLabel) => void;
  readonly onTick?: (tick: number, delivered: number) => void;
  readonly now?: () => number;
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

const defaultSleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    });
  });

/** Publishes the fleet's readings in delivery order, paced on the wall clock; resolves when done or aborted. */
export async function runSimulator(run: SimulatorRun): Promise<{ ticks: number; published: number }> {
  const { fleet, publisher, speedup } = run;
  const now = run.now ?? Date.now;
  const sleep = run.sleep ?? defaultSleep;
  const fromTick = run.fromTick ?? 0;
  const toTick = run.toTick ?? Number.MAX_SAFE_INTEGER;
  const wallStart = now();
  let ticks = 0;
  let published = 0;
  for (const { tick, deliveries } of deliveryOrder(fleet, fromTick, toTick, run.delivery)) {
    if (run.signal?.aborted) break;
    if (run.onFault) for (const f of fleet.faultsBetween(tick, tick + 1)) run.onFault(f);
    if (Number.isFinite(speedup)) {
      // the group of tick t is due when the simulated clock passes the end of tick t
      const dueWall = wallStart + ((tick + 1 - fromTick) * fleet.settings.intervalMs) / speedup;
      const wait = dueWall - now();
      if (wait > 0) await sleep(wait, run.signal);
      if (run.signal?.aborted) break;
    }
    for (const d of deliveries) await publisher.publish(d.reading);
    published += deliveries.length;
    ticks++;
    run.onTick?.(tick, deliveries.length);
  }
  await publisher.flush();
  return { ticks, published };
}
