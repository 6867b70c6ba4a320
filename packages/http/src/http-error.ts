import { StreamkitError } from '@streamkit/runtime';
import type { FastifyReply } from 'fastify';
import { type ErrorDetail, type ErrorStatus, errorBody } from './error-body.ts';

/** What an error answer says beyond its status: a message, the failing fields, when to retry. */
export interface ErrorAnswer extends ErrorDetail {
  /** Sent as `Retry-After` (whole seconds, at least 1): with 429 and 503, when to try again. */
  readonly retryAfterS?: number;
}

/**
 * Sends the common error body, `{ error, message?, fields? }`, with the status's fixed `error`
 * name. A string is the message.
 */
export function sendError(reply: FastifyReply, status: ErrorStatus, answer: string | ErrorAnswer = {}) {
  const detail = typeof answer === 'string' ? { message: answer } : answer;
  if (detail.retryAfterS !== undefined) {
    reply.header('retry-after', String(Math.max(1, Math.ceil(detail.retryAfterS))));
  }
  return reply.code(status).send(errorBody(status, detail));
}

/**
 * Thrown from a handler or hook when the answer is an error: the error handler sends it as
 * `sendError` would. Retriable when the same request may succeed later (429, 503).
 */
export class HttpError extends StreamkitError {
  readonly status: ErrorStatus;
  readonly answer: ErrorAnswer;

  constructor(status: ErrorStatus, answer: string | ErrorAnswer = {}, options: { cause?: unknown } = {}) {
    const detail = typeof answer === 'string' ? { message: answer } : answer;
    super(detail.message ?? `HTTP ${status}`, {
      retriable: status === 429 || status === 503,
      cause: options.cause,
    });
    this.status = status;
    this.answer = detail;
  }
}
