import { formatFieldErrors, type TopicDef } from '@streamkit/schemas';
import { decodeHeaders, decodeValue } from './codec.ts';
import type { ConsumedRecord, RecordHeaders } from './records.ts';
import type { IncomingMessage } from './types.ts';

/** A consumed record as the broker stored it (kept to forward its exact bytes to the DLQ). */
export interface RawRecord {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers: RecordHeaders | undefined;
}

/** One consumed record after decoding: a typed message, or the reason it cannot be one. */
export type Entry<T> =
  | { readonly kind: 'valid'; readonly raw: RawRecord; readonly message: IncomingMessage<T> }
  | { readonly kind: 'invalid'; readonly raw: RawRecord; readonly reason: string };

export function decodeEntry<T>(topic: TopicDef<T>, partition: number, record: ConsumedRecord): Entry<T> {
  const raw: RawRecord = {
    topic: topic.name,
    partition,
    offset: record.offset,
    key: record.key ?? null,
    value: record.value ?? null,
    headers: record.headers,
  };
  const decoded = decodeValue(raw.value);
  if (!decoded.ok)
    return { kind: 'invalid', raw, reason: `undecodable ${topic.validator.name}: ${decoded.reason}` };
  const result = topic.validator.validate(decoded.value);
  if (!result.ok)
    return {
      kind: 'invalid',
      raw,
      reason: `invalid ${topic.validator.name}: ${formatFieldErrors(result.errors)}`,
    };
  return {
    kind: 'valid',
    raw,
    message: Object.freeze({
      topic: topic.name,
      partition,
      offset: record.offset,
      key: raw.key?.toString('utf8') ?? null,
      value: result.value,
      headers: decodeHeaders(record.headers),
      timestamp: Number(record.timestamp),
    }),
  };
}

export function validMessages<T>(entries: readonly Entry<T>[]): IncomingMessage<T>[] {
  const out: IncomingMessage<T>[] = [];
  for (const e of entries) if (e.kind === 'valid') out.push(e.message);
  return out;
}

/** The offset of the last of `entries`. */
export function lastOffset(entries: readonly Entry<unknown>[]): string {
  const last = entries.at(-1);
  if (last === undefined) throw new RangeError('offset of an empty list');
  return last.raw.offset;
}

/** The offset to commit after `entries` (the last one's offset + 1), as a decimal string. */
export function nextOffset(entries: readonly Entry<unknown>[]): string {
  return (BigInt(lastOffset(entries)) + 1n).toString();
}
