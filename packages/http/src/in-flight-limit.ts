import type { FastifyReply, FastifyRequest } from 'fastify';

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
        return reply
          .code(503)
          .header('retry-after', '1')
          .send({ error: 'overloaded', message: `more than ${max} requests in flight` });
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
