// A request that reaches the app while it shuts down is answered 503 in the common body.
import { createServiceRegistry } from '@streamkit/runtime';
import { describe, expect, it } from 'vitest';
import { createHttpApp } from '../src/index.ts';

describe('createHttpApp shutdown', () => {
  it('answers requests arriving while the preClose hooks run with 503 unavailable + Retry-After', async () => {
    const app = await createHttpApp({ registry: createServiceRegistry('http-shutdown-test'), logger: false });
    app.get('/work', async () => ({ done: true }));
    // a preClose that takes a while (ending streams, waking long-polls): the listener is still open
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let inPreClose: () => void = () => undefined;
    const preCloseRunning = new Promise<void>((resolve) => {
      inPreClose = resolve;
    });
    app.addHook('preClose', async () => {
      inPreClose();
      await gate;
    });
    const address = await app.listen({ port: 0, host: '127.0.0.1' });
    expect((await fetch(`${address}/work`)).status).toBe(200);

    const closed = app.close();
    await preCloseRunning;
    const late = await fetch(`${address}/work`);
    release();
    await closed;
    expect(late.status).toBe(503);
    expect(late.headers.get('retry-after')).toBe('1');
    expect(await late.json()).toEqual({ error: 'unavailable', message: 'the service is shutting down' });
  });
});
