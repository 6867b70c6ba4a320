import type { FastifyReply, FastifyRequest } from 'fastify';
import { sendError } from './http-error.ts';

/**
 * Bounds the requests being handled at once: one more is answered 503 + Retry-After at once
 * instead of queueing in memory. The slot is freed when the response is finished or the
 * connection closes, whichever comes first (released once).
 */
export function createInFlightLimit(max: number) {
  let inFlight = 0;
  return {
    get inFlight() {
      return inFlight;
    },
    /** A fastify onRequest hook. */
    async onRequest(_request: FastifyRequest, reply: FastifyReply) {
      if (inFlight >= max) {
        return sendError(reply, 503, { message: `more than ${max} requests in flight`, retryAfterS: 1 });
      }
      inFlight++;
      let released = false;
      reply.raw.once('close', () => {
        if (released) return;
        released = true;
        inFlight--;
      });
    },
  };
}
