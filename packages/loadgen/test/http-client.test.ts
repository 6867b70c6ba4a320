import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LoadgenError } from '../src/errors.ts';
import { createHttpClient, HttpRequestError } from '../src/http-client.ts';

let server: Server;
let baseUrl: string;
const seen: { method: string; url: string; key: string | undefined; body: string }[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      seen.push({
        method: req.method ?? '',
        url: req.url ?? '',
        key: req.headers['x-api-key'] as string | undefined,
        body: Buffer.concat(chunks).toString('utf8'),
      });
      if (req.url === '/busy') return res.writeHead(503).end('{"error":"overloaded"}');
      if (req.url === '/bad') return res.writeHead(400).end('{"error":"bad_request","fields":["amount"]}');
      if (req.url === '/slow') return; // never answers: the client's timeout ends it
      res.writeHead(req.method === 'POST' ? 202 : 200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ echo: req.url }));
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  server.close();
});

describe('createHttpClient', () => {
  it('sends the headers and body, and returns the body of the expected status', async () => {
    const client = createHttpClient({
      baseUrl,
      connections: 2,
      pipelining: 2,
      timeoutMs: 5000,
      headers: { 'x-api-key': 'k1' },
    });
    try {
      expect(await client.call('GET', '/items/1', 200)).toBe('{"echo":"/items/1"}');
      await client.send('POST', '/events', 202, '{"a":1}');
      expect(seen.at(-1)).toEqual({ method: 'POST', url: '/events', key: 'k1', body: '{"a":1}' });
    } finally {
      await client.close();
    }
  });

  it('rejects other statuses, timeouts and refused connections with a kind the runner counts', async () => {
    const client = createHttpClient({ baseUrl, connections: 2, timeoutMs: 300, serverName: 'gateway' });
    try {
      await expect(client.send('POST', '/busy', 202, '{}')).rejects.toMatchObject({
        kind: 'http-503',
        status: 503,
        retriable: true,
        message: 'gateway answered 503: {"error":"overloaded"}',
      });
      await expect(client.call('POST', '/bad', 202, '{}')).rejects.toMatchObject({
        kind: 'http-4xx',
        retriable: false,
        message: expect.stringContaining('"fields":["amount"]'),
      });
      await expect(client.call('GET', '/slow', 200)).rejects.toMatchObject({ kind: 'timeout' });
    } finally {
      await client.close();
    }
    const nowhere = createHttpClient({ baseUrl: 'http://127.0.0.1:1', connections: 1, timeoutMs: 1000 });
    const refused = await nowhere.call('GET', '/', 200).catch((e: unknown) => e);
    await nowhere.close();
    expect(refused).toBeInstanceOf(HttpRequestError);
    expect(refused).toMatchObject({ kind: 'network', retriable: true });
  });

  it('refuses settings that make no sense at construction', () => {
    expect(() => createHttpClient({ baseUrl: 'ftp://x', connections: 1, timeoutMs: 1 })).toThrow(
      /baseUrl must be an http\(s\) URL/,
    );
    expect(() => createHttpClient({ baseUrl, connections: 0, timeoutMs: 1 })).toThrow(LoadgenError);
    expect(() => createHttpClient({ baseUrl, connections: 1, pipelining: 1000, timeoutMs: 1 })).toThrow(
      /pipelining must be an integer from 1 to 128, got 1000/,
    );
  });
});
