import { SENSOR_METRIC_NAMES, type SensorReading } from '@streamkit/schemas';

/** A closed window as the lake's `windows` table holds it: metric → [min, max, mean, p95]. */
export interface ReferenceWindow {
  readonly deviceId: string;
  readonly windowStartMs: number;
  readonly count: number;
  readonly metrics: Readonly<Record<string, readonly [number, number, number, number]>>;
}

export interface ReferenceAggregator {
  /** Readings in the order each device sent them (the order of its Kafka partition). */
  add(reading: SensorReading): void;
  /** Windows closed by the devices' watermarks, sorted by device and start; late readings skipped. */
  closedWindows(): ReferenceWindow[];
  readonly late: number;
}

/**
 * The expected lake aggregates, computed straight from the input and independently of the
 * processor's code: group by (device, window), skip readings whose window had fallen behind the
 * device's watermark, then per metric min, max, mean (summed in ascending order) and nearest-rank p95.
 */
export function createReferenceAggregator(windowMs: number, latenessMs: number): ReferenceAggregator {
  const maxTs = new Map<string, number>();
  const groups = new Map<string, Map<number, number[][]>>();
  let late = 0;
  return {
    get late() {
      return late;
    },
    add(r) {
      const ts = Date.parse(r.ts);
      const max = Math.max(maxTs.get(r.deviceId) ?? ts, ts);
      maxTs.set(r.deviceId, max);
      const start = ts - (((ts % windowMs) + windowMs) % windowMs);
      if (start + windowMs <= max - latenessMs) {
        late++;
        return;
      }
      let device = groups.get(r.deviceId);
      if (device === undefined) {
        device = new Map();
        groups.set(r.deviceId, device);
      }
      let columns = device.get(start);
      if (columns === undefined) {
        columns = SENSOR_METRIC_NAMES.map(() => []);
        device.set(start, columns);
      }
      SENSOR_METRIC_NAMES.forEach((m, i) => {
        columns[i]?.push(r.metrics[m]);
      });
    },
    closedWindows() {
      const out: ReferenceWindow[] = [];
      for (const [deviceId, device] of groups) {
        const max = maxTs.get(deviceId) as number;
        for (const [start, columns] of device) {
          if (start + windowMs > max - latenessMs) continue;
          const metrics: Record<string, readonly [number, number, number, number]> = {};
          SENSOR_METRIC_NAMES.forEach((m, i) => {
            const sorted = Float64Array.from(columns[i] ?? []).sort();
            let sum = 0;
            for (const v of sorted) sum += v;
            const n = sorted.length;
            metrics[m] = [
              sorted[0] as number,
              sorted[n - 1] as number,
              sum / n,
              sorted[Math.ceil(0.95 * n) - 1] as number,
            ];
          });
          out.push({ deviceId, windowStartMs: start, count: columns[0]?.length ?? 0, metrics });
        }
      }
      return out.sort((a, b) =>
        a.deviceId < b.deviceId ? -1 : a.deviceId > b.deviceId ? 1 : a.windowStartMs - b.windowStartMs,
      );
    },
  };
}
