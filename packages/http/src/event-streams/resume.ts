/** A stream id: a decimal integer (they increase along a stream). */
export const STREAM_ID = /^\d{1,30}$/;

/** How a new stream starts, from its Last-Event-ID. */
export type Start =
  | { readonly kind: 'fresh' }
  | { readonly kind: 'buffer' | 'history' | 'live'; readonly after: bigint }
  | { readonly kind: 'reset'; readonly reason: string };

export interface StreamPosition {
  /** The newest id published (or the one before the first). */
  readonly lastSeq: bigint;
  /** Every message after this id is in the buffer. */
  readonly replayFloor: bigint;
  readonly maxReplayEvents: number;
  readonly hasHistory: boolean;
  /** The most a history replays to one client: further back than this many ids is a reset. */
  readonly maxHistoryEvents: number;
}

/**
 * Where a client that sent `header` as Last-Event-ID starts: anew (no id, or no replay at all), from
 * the buffer, from the history (older than the buffer, at most `maxHistoryEvents` back), live (an id ahead of this replica, with a
 * history), or with `event: reset` (an id the stream cannot replay from).
 */
export function startOf(header: string | string[] | undefined, position: StreamPosition): Start {
  const { lastSeq, replayFloor, maxReplayEvents, hasHistory, maxHistoryEvents } = position;
  if (typeof header !== 'string' || header.trim() === '') return { kind: 'fresh' };
  if (maxReplayEvents === 0 && !hasHistory) return { kind: 'fresh' }; // no replay: every stream starts anew
  const value = header.trim();
  const notOurs = { kind: 'reset', reason: `Last-Event-ID ${value} is not an id of this stream` } as const;
  if (!STREAM_ID.test(value)) return notOurs;
  const after = BigInt(value);
  // with a history the id may be one another replica sent first; without, it is not ours
  if (after > lastSeq) return hasHistory ? { kind: 'live', after } : notOurs;
  if (after >= replayFloor) return { kind: 'buffer', after };
  // ids increase by at least one per message, so their distance bounds the count to replay
  if (hasHistory && lastSeq - after <= BigInt(maxHistoryEvents)) return { kind: 'history', after };
  if (hasHistory)
    return {
      kind: 'reset',
      reason: `Last-Event-ID ${value} is further back than ${maxHistoryEvents} events`,
    };
  return { kind: 'reset', reason: `Last-Event-ID ${value} is older than the ${maxReplayEvents} events kept` };
}
