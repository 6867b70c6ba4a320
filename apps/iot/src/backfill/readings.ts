import type { SensorReading } from '@streamkit/schemas';

export interface BackfillReadingsSettings {
  /** Total readings, the devices' closing readings included. */
  readonly readings: number;
  readonly devices: number;
  readonly devicePrefix: string;
  readonly startMs: number;
  readonly intervalMs: number;
}

/**
 * The backfill's input, tick by tick over the fleet (as devices report): each device's readings
 * `intervalMs` apart with neighbours swapped now and then (out of order within the lateness), and a
 * last reading an hour after the rest so every earlier window closes and reaches the lake.
 * Values are a pure function of (device, tick): the same settings give the same readings.
 */
export function* backfillReadings(s: BackfillReadingsSettings): Generator<SensorReading> {
  if (!(Number.isInteger(s.devices) && s.devices >= 1))
    throw new RangeError(`devices must be >= 1, got ${s.devices}`);
  if (!(Number.isInteger(s.readings) && s.readings >= 2 * s.devices)) {
    throw new RangeError(`readings must be an integer >= 2 × devices (${2 * s.devices}), got ${s.readings}`);
  }
  const regular = s.readings - s.devices;
  const ticks = Math.ceil(regular / s.devices);
  for (let tick = 0; tick < ticks; tick++) {
    for (let d = 0; d < s.devices; d++) {
      if (tick * s.devices + d >= regular) break;
      // swap ticks 5↔6, 14↔15, …: device d sends tick t+1 before tick t (when both exist)
      const swapped = tick % 9 === 5 ? tick + 1 : tick % 9 === 6 ? tick - 1 : tick;
      const t = swapped < ticks && swapped * s.devices + d < regular ? swapped : tick;
      yield readingAt(s, d, t);
    }
  }
  for (let d = 0; d < s.devices; d++) yield readingAt(s, d, ticks + Math.ceil(3_600_000 / s.intervalMs));
}

function readingAt(s: BackfillReadingsSettings, device: number, tick: number): SensorReading {
  const h = hash(device, tick);
  return {
    deviceId: `${s.devicePrefix}${device}`,
    seq: tick,
    ts: new Date(s.startMs + tick * s.intervalMs + (device % 997)).toISOString(),
    metrics: {
      temperature: 15 + (h % 2000) / 100,
      humidity: 30 + ((h >>> 11) % 500) / 10,
      pressure: 990 + ((h >>> 7) % 400) / 10,
      battery: 100 - (tick % 1000) / 10,
      vibration: ((h >>> 3) % 1000) / 37,
    },
  };
}

function hash(a: number, b: number): number {
  let x = Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(b + 0x632be5ab, 0xc2b2ae35);
  x ^= x >>> 16;
  x = Math.imul(x, 0x7feb352d);
  x ^= x >>> 15;
  return x >>> 0;
}
