/** An independent reference of the processor's results, computed straight from the input readings. */
import { SENSOR_METRIC_NAMES, type SensorReading } from '@streamkit/schemas';

export interface ReferenceWindow {
  deviceId: string;
  windowStartMs: number;
  count: number;
  /** metric → [min, max, mean, p95] */
  metrics: Record<string, [number, number, number, number]>;
  closed: boolean;
}

export interface Reference {
  /** `${deviceId}#${seq}` → arrived after its window closed */
  late: Map<string, boolean>;
  windows: ReferenceWindow[];
}

/** `readings` in the order each device sent them. */
export function referenceOf(
  readings: readonly SensorReading[],
  windowMs: number,
  latenessMs: number,
): Reference {
  const late = new Map<string, boolean>();
  const maxTs = new Map<string, number>();
  const groups = new Map<string, { deviceId: string; start: number; items: SensorReading[] }>();
  for (const r of readings) {
    const ts = Date.parse(r.ts);
    const max = Math.max(maxTs.get(r.deviceId) ?? ts, ts);
    maxTs.set(r.deviceId, max);
    const start = Math.floor(ts / windowMs) * windowMs;
    const isLate = start + windowMs <= max - latenessMs;
    late.set(`${r.deviceId}#${r.seq}`, isLate);
    if (isLate) continue;
    const key = `${r.deviceId}|${start}`;
    const g = groups.get(key) ?? { deviceId: r.deviceId, start, items: [] };
    g.items.push(r);
    groups.set(key, g);
  }
  const windows: ReferenceWindow[] = [];
  for (const g of groups.values()) {
    const metrics: ReferenceWindow['metrics'] = {};
    for (const m of SENSOR_METRIC_NAMES) {
      const values = g.items.map((r) => r.metrics[m]);
      const sorted = [...values].sort((a, b) => a - b);
      let sum = 0;
      for (const v of sorted) sum += v;
      metrics[m] = [
        sorted[0] as number,
        sorted.at(-1) as number,
        sum / values.length,
        sorted[Math.ceil(0.95 * values.length) - 1] as number,
      ];
    }
    const closed = g.start + windowMs <= (maxTs.get(g.deviceId) as number) - latenessMs;
    windows.push({ deviceId: g.deviceId, windowStartMs: g.start, count: g.items.length, metrics, closed });
  }
  windows.sort((a, b) => a.deviceId.localeCompare(b.deviceId) || a.windowStartMs - b.windowStartMs);
  return { late, windows };
}
