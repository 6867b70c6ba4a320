import { SimulatorSettingsError } from './errors.ts';
import type { Fleet, SimulatedReading } from './fleet.ts';
import { MinHeap } from './heap.ts';
import { uniform } from './noise.ts';

export interface DeliverySettings {
  /** Share of readings delivered late (default 0.01). */
  readonly lateFraction: number;
  /** A late reading arrives this much after its event time, at most (default 90 s). */
  readonly maxLatenessMs: number;
  /** Every reading arrives up to this much after its event time (default: half an interval). */
  readonly jitterMs?: number;
}

export const defaultDeliverySettings: DeliverySettings = { lateFraction: 0.01, maxLatenessMs: 90_000 };

export interface Delivery extends SimulatedReading {
  /** When the reading reaches the broker (epoch ms, simulated clock). */
  readonly deliverAtMs: number;
  /** Delivered more than one interval after its event time. */
  readonly late: boolean;
}

/**
 * The fleet's readings of ticks [fromTick, toTick) in delivery order: each reading is held back by
 * a small jitter, and a `lateFraction` of them by up to `maxLatenessMs`, so the stream arrives out
 * of order and partly late, like devices on flaky links. Yields per tick the readings due by the
 * end of that tick (the publisher sends each group at the tick's wall time); the rest at the end.
 */
export function* deliveryOrder(
  fleet: Fleet,
  fromTick: number,
  toTick: number,
  input: Partial<DeliverySettings> = {},
): Generator<{ tick: number; deliveries: Delivery[] }> {
  const settings = { ...defaultDeliverySettings, ...input };
  const { intervalMs, seed, startMs } = fleet.settings;
  const jitterMs = settings.jitterMs ?? intervalMs / 2;
  const problems: string[] = [];
  if (!(settings.lateFraction >= 0 && settings.lateFraction <= 1))
    problems.push('lateFraction must be in 0..1');
  if (!(settings.maxLatenessMs >= 0)) problems.push('maxLatenessMs must be >= 0');
  if (!(jitterMs >= 0)) problems.push('jitterMs must be >= 0');
  if (problems.length > 0) throw new SimulatorSettingsError('delivery', problems);

  const heap = new MinHeap<Delivery>();
  for (let tick = fromTick; tick < toTick; tick++) {
    for (const r of fleet.readingsAt(tick)) {
      const index = Number(r.reading.deviceId.slice(fleet.settings.deviceIdPrefix.length));
      const late = uniform(seed, index, tick, 200) < settings.lateFraction;
      const delay = late
        ? intervalMs + uniform(seed, index, tick, 201) * Math.max(0, settings.maxLatenessMs - intervalMs)
        : uniform(seed, index, tick, 202) * jitterMs;
      const deliverAtMs = Math.round(startMs + tick * intervalMs + delay);
      heap.push(deliverAtMs, { ...r, deliverAtMs, late });
    }
    const dueBy = startMs + (tick + 1) * intervalMs;
    const deliveries: Delivery[] = [];
    while ((heap.peekKey() ?? Number.POSITIVE_INFINITY) < dueBy) {
      const d = heap.pop();
      if (d !== undefined) deliveries.push(d);
    }
    yield { tick, deliveries };
  }
  const rest: Delivery[] = [];
  while (heap.size > 0) {
    const d = heap.pop();
    if (d !== undefined) rest.push(d);
  }
  if (rest.length > 0) yield { tick: toTick, deliveries: rest };
}
