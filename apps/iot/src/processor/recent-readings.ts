import type { SensorReading } from '@streamkit/schemas';

/**
 * The readings a device sent recently, by sequence number → event time (epoch ms): what the
 * processor deduplicates against. The hub produces to Kafka at least once — a PUBLISH whose
 * PUBACK a hub crash or a dropped MQTT connection lost comes back from the broker and is produced
 * again — so the same reading can be on `iot.telemetry` twice, at two offsets. The event time is
 * part of the identity: a device that restarts its counter sends new readings under old numbers.
 */
export type RecentReadings = Map<number, number>;

/** Default of `PROCESSOR_DEDUP_HORIZON_MS`: twice the hub's MQTT session expiry (300 s). */
export const DEFAULT_DEDUP_HORIZON_MS = 600_000;

export function isDuplicate(recent: RecentReadings, reading: SensorReading, tsMs: number): boolean {
  return recent.get(reading.seq) === tsMs;
}

/** Forgets the readings dated before `cutoffMs` (the device's newest event time − the horizon). */
export function forgetBefore(recent: RecentReadings, cutoffMs: number): void {
  for (const [seq, tsMs] of recent) if (tsMs < cutoffMs) recent.delete(seq);
}

/**
 * Packed as unsigned LEB128 varints: the count, then per reading in seq order the seq's delta
 * from the previous one and the event time's zigzag delta. A device's numbers and times mostly
 * climb in small steps, so a reading takes 3–4 bytes (float64 pairs would take 16).
 */
export function encodeRecentReadings(recent: RecentReadings): Buffer {
  const bytes: number[] = [];
  const seqs = [...recent.keys()].sort((a, b) => a - b);
  pushVarint(bytes, seqs.length);
  let previousSeq = 0;
  let previousTs = 0;
  for (const seq of seqs) {
    const tsMs = recent.get(seq) as number;
    pushVarint(bytes, seq - previousSeq);
    pushVarint(bytes, zigzag(tsMs - previousTs));
    previousSeq = seq;
    previousTs = tsMs;
  }
  return Buffer.from(bytes);
}

export function decodeRecentReadings(bytes: Uint8Array): RecentReadings {
  const recent: RecentReadings = new Map();
  const reader = { at: 0 };
  const count = readVarint(bytes, reader);
  let seq = 0;
  let tsMs = 0;
  for (let i = 0; i < count; i++) {
    seq += readVarint(bytes, reader);
    tsMs += unzigzag(readVarint(bytes, reader));
    recent.set(seq, tsMs);
  }
  if (reader.at !== bytes.length)
    throw new RangeError(`recent readings: ${bytes.length - reader.at} trailing bytes`);
  return recent;
}

// arithmetic rather than bitwise operators: the values go up to 2^53, past JavaScript's 32-bit shifts
function pushVarint(out: number[], value: number): void {
  let v = value;
  while (v >= 128) {
    out.push((v % 128) + 128);
    v = Math.floor(v / 128);
  }
  out.push(v);
}

function readVarint(bytes: Uint8Array, reader: { at: number }): number {
  let value = 0;
  let scale = 1;
  for (;;) {
    const byte = bytes[reader.at++];
    if (byte === undefined) throw new RangeError('recent readings: truncated varint');
    value += (byte % 128) * scale;
    if (byte < 128) return value;
    scale *= 128;
  }
}

const zigzag = (v: number): number => (v >= 0 ? 2 * v : -2 * v - 1);
const unzigzag = (z: number): number => (z % 2 === 0 ? z / 2 : -(z + 1) / 2);
