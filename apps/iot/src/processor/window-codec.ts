import { SENSOR_METRIC_NAMES } from '@streamkit/schemas';
import type { WindowValues } from './windows.ts';

/**
 * Open windows' values packed as float64s: [windows, then per window: start, n, then n values
 * per metric in SENSOR_METRIC_NAMES order]. Exact (doubles round-trip), and far cheaper than JSON
 * to build, send and store for the hundreds of values a device's open windows hold.
 */
export function encodeOpenWindows(windows: ReadonlyMap<number, WindowValues>): Buffer {
  let size = 1;
  for (const values of windows.values()) size += 2 + SENSOR_METRIC_NAMES.length * values.temperature.length;
  const out = new Float64Array(size);
  let at = 0;
  out[at++] = windows.size;
  for (const [start, values] of windows) {
    const n = values.temperature.length;
    out[at++] = start;
    out[at++] = n;
    for (const name of SENSOR_METRIC_NAMES) {
      const column = values[name];
      if (column.length !== n)
        throw new RangeError(`window ${start}: ${name} has ${column.length} values, not ${n}`);
      out.set(column, at);
      at += n;
    }
  }
  return Buffer.from(out.buffer, out.byteOffset, out.byteLength);
}

export function decodeOpenWindows(bytes: Buffer): Map<number, WindowValues> {
  if (bytes.byteLength % 8 !== 0)
    throw new RangeError(`open windows: ${bytes.byteLength} bytes is not a whole number of float64s`);
  // copy: the Buffer's offset in its pool need not be 8-aligned
  const data = new Float64Array(bytes.byteLength / 8);
  new Uint8Array(data.buffer).set(bytes);
  const windows = new Map<number, WindowValues>();
  let at = 0;
  const count = data[at++] ?? 0;
  for (let w = 0; w < count; w++) {
    const start = data[at++] as number;
    const n = data[at++] as number;
    const values = {} as WindowValues;
    for (const name of SENSOR_METRIC_NAMES) {
      values[name] = Array.from(data.subarray(at, at + n));
      at += n;
    }
    windows.set(start, values);
  }
  if (at !== data.length) throw new RangeError(`open windows: ${data.length - at} trailing values`);
  return windows;
}
