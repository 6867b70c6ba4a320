import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { createInFlightLimit } from '../src/index.ts';

describe('createInFlightLimit', () => {
  it('answers 503 with Retry-After beyond the bound and frees the slot when a response ends', async () => {
    const limit = createInFlightLimit(1);
    const app = Fastify();
    app.addHook('onRequest', limit.onRequest);
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    app.get('/slow', async () => {
      await gate;
      return { done: true };
    });
    const address = await app.listen({ port: 0, host: '127.0.0.1' });
    try {
      const first = fetch(`${address}/slow`);
      await expect.poll(() => limit.inFlight).toBe(1);
      const second = await fetch(`${address}/slow`);
      expect(second.status).toBe(503);
      expect(second.headers.get('retry-after')).toBe('1');
      expect(await second.json()).toEqual({
        error: 'unavailable',
        message: 'more than 1 requests in flight',
      });
      release();
      expect((await first).status).toBe(200);
      await expect.poll(() => limit.inFlight).toBe(0);
    } finally {
      await app.close();
    }
  });
});
