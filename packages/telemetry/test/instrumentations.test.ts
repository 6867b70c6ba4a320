// The instrumentations in a real service process started as every service is
// (`node --import @streamkit/telemetry/register`), exporting to an OTLP receiver in this test: the
// ES module imports of fastify, pg and ioredis must be patched, which no in-process test shows.
import { fileURLToPath } from 'node:url';
import { uniqueName } from '@streamkit/testkit';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import {
  type OtlpReceiver,
  otlpKind,
  type ReceivedSpan,
  startOtlpReceiver,
} from './support/otlp-receiver.ts';
import { startTracedProcess, type TracedProcess } from './support/traced-process.ts';

const instrumentedApp = fileURLToPath(new URL('./fixtures/instrumented-app.ts', import.meta.url));
const { databaseUrl, redisUrl } = inject('infrastructure');

let receiver: OtlpReceiver;
let service: TracedProcess;
let baseUrl: string;

beforeAll(async () => {
  receiver = await startOtlpReceiver();
  service = startTracedProcess(instrumentedApp, [databaseUrl, redisUrl, uniqueName('telemetry-instr')], {
    OTEL_SERVICE_NAME: 'instrumented-app',
    OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
  });
  const port = await vi.waitFor(
    () => {
      const match = /listening (\d+)/.exec(service.stdout());
      if (match === null) throw new Error(`not listening yet: ${service.stdout()}`);
      return match[1];
    },
    { timeout: 30_000, interval: 50 },
  );
  baseUrl = `http://127.0.0.1:${port}`;
});

afterAll(async () => {
  service?.child.kill('SIGTERM');
  await service?.exit;
  await receiver?.close();
});

describe('instrumentations in a process started with --import @streamkit/telemetry/register', () => {
  it('traces a request through http, fastify, pg and ioredis, continuing the caller’s trace', async () => {
    // a scrape first: it must leave no span
    expect((await fetch(`${baseUrl}/health`)).status).toBe(200);
    const callerTrace = '4bf92f3577b34da6a3ce929d0e0e4736';
    const callerSpan = '00f067aa0ba902b7';
    const response = await fetch(`${baseUrl}/items/i-7`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', traceparent: `00-${callerTrace}-${callerSpan}-01` },
      body: JSON.stringify({ note: 'n' }),
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ id: 'i-7', note: 'n' });

    // the batch processor exports every 5 s
    const spans = await vi.waitFor(
      () => {
        const inTrace = receiver.spans().filter((s) => s.traceId === callerTrace);
        const names = inTrace.map((s) => s.name);
        if (!names.includes('get') || !names.some((n) => n.startsWith('pg.query'))) {
          throw new Error(`spans so far: ${names.join(', ')}`);
        }
        return inTrace;
      },
      { timeout: 15_000, interval: 100 },
    );
    const one = (scope: string, name: string | RegExp) => {
      const found = spans.filter(
        (s) => s.scope === scope && (typeof name === 'string' ? s.name === name : name.test(s.name)),
      );
      expect(found, `${scope} ${name}`).toHaveLength(1);
      return found[0] as ReceivedSpan;
    };

    const server = one('@opentelemetry/instrumentation-http', 'POST /items/:id');
    expect(server.kind).toBe(otlpKind.server);
    expect(server.parentSpanId).toBe(callerSpan);
    expect(server.attributes).toMatchObject({ 'http.route': '/items/:id', 'http.response.status_code': 200 });

    const request = one('@fastify/otel', 'request');
    expect(request.kind).toBe(otlpKind.internal);
    expect(request.parentSpanId).toBe(server.spanId);

    const query = one('@opentelemetry/instrumentation-pg', /^pg\.query/);
    const get = one('@opentelemetry/instrumentation-ioredis', 'get');
    // the handler runs in the request span, after its body was read
    for (const client of [query, get]) {
      expect(client.kind).toBe(otlpKind.client);
      expect(client.parentSpanId, client.name).toBe(request.spanId);
    }
    expect(query.attributes['db.query.text']).toBe('select $1::text as id');

    expect(
      receiver.spans().filter((s) => s.name.includes('/health') || s.attributes['url.path'] === '/health'),
    ).toEqual([]);
  });
});
