import type { AccessLog, RejectedLogLine } from '@streamkit/schemas';
import { accessLogValidator, formatFieldErrors } from '@streamkit/schemas';
import { type LineOrigin, toAccessLog } from './enrich.ts';
import { parseLine } from './parse-line.ts';
import type { UserAgentClassifier } from './user-agents.ts';

export type LineOutcome =
  | { readonly ok: true; readonly log: AccessLog }
  | { readonly ok: false; readonly rejected: RejectedLogLine };

const MAX_RAW_LENGTH = 65_536;

/** parse → enrich → validate one raw line; a failure carries the raw line and the reason for the DLQ. */
export function processLine(
  raw: string,
  origin: LineOrigin & { readonly file?: string },
  agents: UserAgentClassifier,
): LineOutcome {
  const parsed = parseLine(raw);
  const enriched = parsed.ok ? toAccessLog(parsed.line, origin, agents) : parsed;
  const reason = !enriched.ok
    ? enriched.reason
    : (() => {
        const result = accessLogValidator.validate(enriched.log);
        return result.ok ? undefined : `schema: ${formatFieldErrors(result.errors)}`;
      })();
  if (enriched.ok && reason === undefined) return { ok: true, log: enriched.log };
  return {
    ok: false,
    rejected: {
      raw: raw.length > MAX_RAW_LENGTH ? raw.slice(0, MAX_RAW_LENGTH) : raw,
      reason: (reason ?? 'rejected').slice(0, 2000),
      source: origin.source,
      ...(origin.file === undefined ? {} : { file: origin.file }),
      ...(origin.id === undefined ? {} : { id: origin.id }),
    },
  };
}
