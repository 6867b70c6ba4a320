import { SchemaValidationError, type TopicDef } from '@streamkit/schemas';
import type { OutgoingRecord, RecordHeaders } from './records.ts';
import { withTraceHeaders } from './trace.ts';
import type { Headers, OutgoingMessage } from './types.ts';

/** Events travel as UTF-8 JSON. */
export function encodeValue(value: unknown): Buffer {
  return Buffer.from(JSON.stringify(value), 'utf8');
}

/**
 * Validates every message against `topic.validator` (throws SchemaValidationError naming the fields
 * at the first invalid one, after `onInvalid`) and encodes it: key from `topic.keyOf` unless given,
 * the active trace context in the headers, the timestamp defaulting to now.
 */
export function encodeMessages<T>(
  topic: TopicDef<T>,
  messages: readonly OutgoingMessage<T>[],
  onInvalid?: () => void,
): OutgoingRecord[] {
  return messages.map((m) => {
    const result = topic.validator.validate(m.value);
    if (!result.ok) {
      onInvalid?.();
      throw new SchemaValidationError(topic.validator.name, result.errors);
    }
    return {
      key: m.key ?? topic.keyOf(m.value),
      value: encodeValue(m.value),
      headers: withTraceHeaders(m.headers),
      timestamp: String(m.timestamp ?? Date.now()),
    };
  });
}

export type Decoded =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly reason: string };

export function decodeValue(bytes: Buffer | null): Decoded {
  if (bytes === null || bytes.length === 0)
    return { ok: false, reason: 'empty value (tombstone or missing payload)' };
  try {
    return { ok: true, value: JSON.parse(bytes.toString('utf8')) };
  } catch (error) {
    return { ok: false, reason: `not JSON: ${error instanceof Error ? error.message : String(error)}` };
  }
}

/** Header values as UTF-8 strings; of a repeated header, the last value wins. */
export function decodeHeaders(headers: RecordHeaders | undefined): Headers {
  const out: Record<string, string> = {};
  for (const [name, raw] of Object.entries(headers ?? {})) {
    const value = Array.isArray(raw) ? raw.at(-1) : raw;
    if (value !== undefined) out[name] = Buffer.isBuffer(value) ? value.toString('utf8') : String(value);
  }
  return out;
}
