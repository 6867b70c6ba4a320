/**
 * Offline devices, seen as gaps in their sequence numbers: a device numbers its readings, so when
 * the next one arrives after a silence, `seq` says how many were never sent.
 */

/** The device's newest reading by event time, which a gap is measured from. */
export interface NewestReading {
  seq: number;
  /** Event time, epoch ms. */
  ts: number;
}

export interface ReadingGap {
  /** Readings missing between the newest one and this one. */
  readonly missed: number;
  /** Seq and event time of the reading before the gap. */
  readonly after: NewestReading;
}

/**
 * The gap before a reading (when at least `minMissed` readings are missing), and the device's newest
 * reading after it. A late reading (older than the newest) is neither a gap nor the newest; a seq
 * that went back while time went on (the device restarted its counter) starts counting again.
 */
export function gapBefore(
  seq: number,
  ts: number,
  newest: NewestReading | undefined,
  minMissed: number,
): { gap: ReadingGap | undefined; newest: NewestReading } {
  if (newest !== undefined && !(ts > newest.ts)) return { gap: undefined, newest };
  const missed = newest === undefined ? 0 : seq - newest.seq - 1;
  const gap = newest !== undefined && missed >= minMissed ? { missed, after: newest } : undefined;
  return { gap, newest: { seq, ts } };
}
