import {
  DEFAULT_MAX_FUTURE_SKEW_MS,
  type EventTimeBound,
  type FieldError,
  futureEventTime,
  type UserEvent,
  userEventValidator,
} from '@streamkit/schemas';

export type EventBatch =
  | { readonly ok: true; readonly events: readonly UserEvent[] }
  | { readonly ok: false; readonly fields: readonly FieldError[] };

/**
 * POST /events takes one event object or an array of them. Each is validated with the UserEvent
 * schema of packages/schemas, and its `ts` must not lie beyond `bound` in the future; in a batch,
 * fields are named by position ("2/productId").
 */
export function parseEventBatch(
  body: unknown,
  maxBatchSize: number,
  bound: EventTimeBound = { maxFutureSkewMs: DEFAULT_MAX_FUTURE_SKEW_MS },
): EventBatch {
  const nowMs = bound.nowMs ?? Date.now();
  const validate = (item: unknown): ReturnType<typeof userEventValidator.validate> => {
    const result = userEventValidator.validate(item);
    const future = result.ok && futureEventTime('ts', result.value.ts, nowMs, bound.maxFutureSkewMs);
    return future ? { ok: false, errors: [future] } : result;
  };
  if (!Array.isArray(body)) {
    const result = validate(body);
    return result.ok ? { ok: true, events: [result.value] } : { ok: false, fields: result.errors };
  }
  if (body.length === 0) return { ok: false, fields: [{ field: '', message: 'must hold at least 1 event' }] };
  if (body.length > maxBatchSize) {
    return { ok: false, fields: [{ field: '', message: `must hold at most ${maxBatchSize} events` }] };
  }
  const events: UserEvent[] = [];
  const fields: FieldError[] = [];
  body.forEach((item, index) => {
    const result = validate(item);
    if (result.ok) events.push(result.value);
    else for (const e of result.errors) fields.push({ field: joinField(index, e.field), message: e.message });
  });
  return fields.length > 0 ? { ok: false, fields } : { ok: true, events };
}

function joinField(index: number, field: string): string {
  return field === '' ? String(index) : `${index}/${field}`;
}
