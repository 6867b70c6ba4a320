import Type, { type Static } from 'typebox';
import { IpAddress, Text, Timestamp } from './common.ts';
import { compileValidator } from './validator.ts';

export const HTTP_METHODS = [
  'GET',
  'HEAD',
  'POST',
  'PUT',
  'DELETE',
  'PATCH',
  'OPTIONS',
  'CONNECT',
  'TRACE',
] as const;
export const HttpMethod = Type.Enum(HTTP_METHODS);
export type HttpMethod = Static<typeof HttpMethod>;

export const StatusClass = Type.Enum(['1xx', '2xx', '3xx', '4xx', '5xx']);
export type StatusClass = Static<typeof StatusClass>;

/** The class of an HTTP status code (404 → "4xx"); the shipper derives `statusClass` with it. */
export function statusClassOf(status: number): StatusClass {
  if (!Number.isInteger(status) || status < 100 || status > 599) {
    throw new RangeError(`statusClassOf: ${status} is not an HTTP status code (100..599)`);
  }
  return `${Math.floor(status / 100)}xx` as StatusClass;
}

/** One HTTP access-log record after parsing and enrichment by the log shipper. */
export const AccessLog = Type.Object(
  {
    host: Type.String({
      format: 'hostname',
      maxLength: 253,
      description: 'the server that logged the request',
    }),
    ts: Timestamp,
    method: HttpMethod,
    path: Type.String({
      minLength: 1,
      maxLength: 2048,
      pattern: '^/',
      description: 'request path without the query string',
      errorMessage: { pattern: 'must start with "/"' },
    }),
    route: Type.String({
      minLength: 1,
      maxLength: 256,
      description: 'the path with ids replaced by placeholders, e.g. /products/:id',
    }),
    status: Type.Integer({ minimum: 100, maximum: 599 }),
    statusClass: StatusClass,
    bytes: Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER }),
    durationMs: Type.Number({ minimum: 0 }),
    clientIp: IpAddress,
    /** may be empty: clients need not send one */
    userAgent: Type.String({ maxLength: 1024 }),
    uaFamily: Text(64),
    isBot: Type.Boolean(),
    referrer: Type.Optional(Type.String({ maxLength: 2048 })),
    source: Type.Enum(['file', 'http']),
    /**
     * Stable id of the line, so an at-least-once sink can drop re-sent copies: for files the
     * file's identity and the line's byte offset ("f.<dev>-<inode>-<fingerprint>.<offset>").
     */
    id: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 128,
        pattern: '^[A-Za-z0-9][A-Za-z0-9._:-]*$',
        errorMessage: { pattern: "must hold only letters, digits, '.', '_', ':' or '-'" },
      }),
    ),
  },
  { additionalProperties: false },
);
export type AccessLog = Static<typeof AccessLog>;
export const accessLogValidator = compileValidator('AccessLog', AccessLog);

/**
 * A log line the shipper could not turn into an AccessLog, as written to `logs.http.dlq`: the raw
 * line and why it was rejected (the reason is also in the `x-dlq-reason` header).
 */
export const RejectedLogLine = Type.Object(
  {
    raw: Type.String({ maxLength: 65_536 }),
    reason: Text(2000),
    source: Type.Enum(['file', 'http']),
    /** the file it came from, when it came from a file */
    file: Type.Optional(Type.String({ maxLength: 4096 })),
    /** the line's id (file identity + offset), when it came from a file */
    id: Type.Optional(Type.String({ maxLength: 128 })),
  },
  { additionalProperties: false },
);
export type RejectedLogLine = Static<typeof RejectedLogLine>;
export const rejectedLogLineValidator = compileValidator('RejectedLogLine', RejectedLogLine);
