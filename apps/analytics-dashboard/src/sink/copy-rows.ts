import type { AccessLog } from '@streamkit/schemas';

/** The columns the sink COPYs, in order (dash_log_lines and its staging twin). */
export const LOG_LINE_COLUMNS = [
  'line_key',
  'ts',
  'host',
  'method',
  'path',
  'route',
  'status',
  'status_class',
  'bytes',
  'duration_ms',
  'client_ip',
  'ua_family',
  'is_bot',
  'source',
  'kafka_partition',
  'kafka_offset',
] as const;

/** A consumed log line and where it came from in Kafka. */
export interface SinkRecord {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly value: AccessLog;
}

/**
 * The key that makes the sink idempotent: the shipper's line id (file identity + byte offset,
 * the same however often the line is re-sent) or, for lines without one, their Kafka position.
 */
export function lineKeyOf(record: SinkRecord): string {
  return record.value.id ?? `${record.topic}:${record.partition}:${record.offset}`;
}

// COPY text format: backslash, tab, newline and carriage return must be escaped inside a field
const SPECIAL = /[\\\t\n\r]/;
function text(value: string): string {
  // most fields have none of them: test first, replace (and allocate) only when needed
  if (!SPECIAL.test(value)) return value;
  return value.replace(/[\\\t\n\r]/g, (ch) =>
    ch === '\\' ? '\\\\' : ch === '\t' ? '\\t' : ch === '\n' ? '\\n' : '\\r',
  );
}

/** The records as the body of `COPY … FROM STDIN` (text format, one line per record). */
export function copyText(records: readonly SinkRecord[]): string {
  // one string built field by field: no array and no per-field map per record (the sink's hot path)
  let out = '';
  for (const record of records) {
    const v = record.value;
    out += `${text(lineKeyOf(record))}\t${text(v.ts)}\t${text(v.host)}\t${text(v.method)}\t${text(v.path)}\t${text(v.route)}\t${v.status}\t${text(v.statusClass)}\t${v.bytes}\t${v.durationMs}\t${text(v.clientIp)}\t${text(v.uaFamily)}\t${v.isBot}\t${text(v.source)}\t${record.partition}\t${text(record.offset)}\n`;
  }
  return out;
}
