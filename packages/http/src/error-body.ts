import type { FieldError } from '@streamkit/schemas';
import Type from 'typebox';

/**
 * The `error` name of each status every streamkit service answers with. A client branches on the
 * status or on this name, never on `message` (which is for people and may change).
 */
export const errorNames = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  408: 'request_timeout',
  409: 'conflict',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  429: 'too_many_requests',
  500: 'internal_error',
  503: 'unavailable',
} as const;

export type ErrorStatus = keyof typeof errorNames;
export type ErrorName = (typeof errorNames)[ErrorStatus];

/** `{ error, message?, fields? }`: the body of every 4xx and 5xx answer of every service. */
export interface ErrorBody {
  readonly error: string;
  /** What went wrong, for a person reading it. */
  readonly message?: string;
  /** With 400: each failing field ("amount", "metrics/temperature", "lines/3/deviceId"; "" is the whole body). */
  readonly fields?: readonly FieldError[];
}

/** The same shape as a TypeBox schema, for routes' `response: { 400: ErrorBodySchema, … }`. */
export const ErrorBodySchema = Type.Object({
  error: Type.String(),
  message: Type.Optional(Type.String()),
  fields: Type.Optional(Type.Array(Type.Object({ field: Type.String(), message: Type.String() }))),
});

/** The name of a status outside the table: its class decides (a 4xx is the caller's, a 5xx ours). */
export function errorNameOf(status: number): string {
  const known = (errorNames as Readonly<Record<number, string>>)[status];
  if (known !== undefined) return known;
  return status < 500 ? errorNames[400] : errorNames[500];
}

export interface ErrorDetail {
  readonly message?: string;
  readonly fields?: readonly FieldError[];
}

export function errorBody(status: number, detail: ErrorDetail = {}): ErrorBody {
  return {
    error: errorNameOf(status),
    ...(detail.message === undefined ? {} : { message: detail.message }),
    ...(detail.fields === undefined ? {} : { fields: detail.fields }),
  };
}
