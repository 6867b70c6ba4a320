// One trace from a POST /logs caller through the shipper and logs.http to the sink: the shipper's
// batch span continues the caller's trace, and the sink's COPY batch span links to it.
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace';
import { type RunningService, startService } from '@streamkit/runtime';
import { startTracing, type Tracing } from '@streamkit/telemetry';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { shipperService } from '../src/shipper/service.ts';
import { createSinkTestEnv, type SinkTestEnv } from './support/sink-harness.ts';

const infra = inject('infrastructure');
const exporter = new InMemorySpanExporter();
const apiKey = 'tracing-test-key-0123456789';
let tracing: Tracing;
let env: SinkTestEnv;
let shipper: RunningService<unknown, unknown>;

beforeAll(async () => {
  tracing = startTracing({
    serviceName: 'dashboard-tracing-test',
    spanProcessors: [new SimpleSpanProcessor({ exporter })],
  });
  env = await createSinkTestEnv(infra, 'tracing');
  shipper = await startService(shipperService, {
    env: {
      KAFKA_BROKERS: infra.kafkaBrokers.join(','),
      KAFKA_TOPIC_PREFIX: env.prefix,
      SHIPPER_API_KEY: apiKey,
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
    },
  });
  await env.startSink();
});
afterAll(async () => {
  await shipper?.stop();
  await env?.close();
  await tracing?.shutdown();
});

describe('traces through the dashboard pipeline', () => {
  it("continue a POST /logs caller's trace in the shipper and link the sink's batch to it", async () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const line = {
      time: new Date().toISOString(),
      host: 'trace.example',
      remote_addr: '203.0.113.9',
      request_method: 'GET',
      request_uri: '/traced',
      status: 200,
      body_bytes_sent: 10,
      request_time: 0.001,
      http_user_agent: 'curl/8.5.0',
    };
    const response = await shipper.app?.inject({
      method: 'POST',
      url: '/logs',
      headers: {
        'content-type': 'application/x-ndjson',
        'x-api-key': apiKey,
        traceparent: `00-${traceId}-00f067aa0ba902b7-01`,
      },
      payload: JSON.stringify(line),
    });
    expect(response?.statusCode).toBe(202);

    const ship = exporter.getFinishedSpans().filter((s) => s.name === 'dashboard.shipper.ship');
    expect(ship.map((s) => s.spanContext().traceId)).toEqual([traceId]);
    expect(ship[0]?.attributes['dashboard.shipper.source']).toBe('http');
    await expect
      .poll(
        () =>
          exporter
            .getFinishedSpans()
            .filter((s) => s.name === 'dashboard.sink.copy-batch')
            .flatMap((s) => s.links.map((l) => l.context.traceId)),
        { timeout: 30_000 },
      )
      .toContain(traceId);
  });
});
