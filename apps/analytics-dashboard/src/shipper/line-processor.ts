import type { AccessLog, RejectedLogLine } from '@streamkit/schemas';
import {
  accessLogValidator,
  DEFAULT_MAX_FUTURE_SKEW_MS,
  type EventTimeBound,
  formatFieldErrors,
  futureEventTime,
} from '@streamkit/schemas';
import { type LineOrigin, toAccessLog } from './enrich.ts';
import { parseLine } from './parse-line.ts';
import type { UserAgentClassifier } from './user-agents.ts';

export type LineOutcome =
  | { readonly ok: true; readonly log: AccessLog }
  /** `field`: the log's field at fault, when one is (`ts`) */
  | { readonly ok: false; readonly rejected: RejectedLogLine; readonly field?: string };

const MAX_RAW_LENGTH = 65_536;

/** parse → enrich → validate one raw line; a failure carries the raw line and the reason for the DLQ. */
export function processLine(
  raw: string,
  origin: LineOrigin & { readonly file?: string },
  agents: UserAgentClassifier,
  bound: EventTimeBound = { maxFutureSkewMs: DEFAULT_MAX_FUTURE_SKEW_MS },
): LineOutcome {
  const parsed = parseLine(raw);
  const enriched = parsed.ok ? toAccessLog(parsed.line, origin, agents) : parsed;
  // a line dated 2099 would move the views' watermark (max_event_ts): every later line would be late
  const future = enriched.ok
    ? futureEventTime('ts', enriched.log.ts, bound.nowMs ?? Date.now(), bound.maxFutureSkewMs)
    : undefined;
  const reason = !enriched.ok
    ? enriched.reason
    : future !== undefined
      ? `${future.field} ${future.message}`
      : (() => {
          const result = accessLogValidator.validate(enriched.log);
          return result.ok ? undefined : `schema: ${formatFieldErrors(result.errors)}`;
        })();
  if (enriched.ok && reason === undefined) return { ok: true, log: enriched.log };
  return {
    ok: false,
    ...(future === undefined ? {} : { field: future.field }),
    rejected: {
      raw: raw.length > MAX_RAW_LENGTH ? raw.slice(0, MAX_RAW_LENGTH) : raw,
      reason: (reason ?? 'rejected').slice(0, 2000),
      source: origin.source,
      ...(origin.file === undefined ? {} : { file: origin.file }),
      ...(origin.id === undefined ? {} : { id: origin.id }),
    },
  };
}
