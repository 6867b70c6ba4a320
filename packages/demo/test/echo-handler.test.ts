import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handleEchoRequest } from '../src/pipelines/hello/echo-handler.ts';

let server: Server;
let base: string;

beforeAll(async () => {
  server = createServer(handleEchoRequest);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('hello echo service', () => {
  it('answers /health with ok', async () => {
    const response = await fetch(`${base}/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it('echoes the query on /', async () => {
    const response = await fetch(`${base}/?a=1&b=two`, { headers: { 'user-agent': 'test-agent' } });
    expect(await response.json()).toEqual({
      pipeline: 'hello',
      service: 'echo',
      query: { a: '1', b: 'two' },
      userAgent: 'test-agent',
    });
  });

  it('answers 404 for other paths and 405 for other methods', async () => {
    expect((await fetch(`${base}/nope`)).status).toBe(404);
    const post = await fetch(`${base}/`, { method: 'POST', body: 'x' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
  });
});
