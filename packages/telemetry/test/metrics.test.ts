import { createServiceRegistry, observability, SettingsError } from '@streamkit/runtime';
import { sampleValue } from '@streamkit/testkit';
import Fastify from 'fastify';
import { Counter } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { createPipelineMetrics } from '../src/index.ts';

const apps: { close(): Promise<unknown> }[] = [];
afterEach(async () => {
  await Promise.all(apps.splice(0).map((app) => app.close()));
});

async function scrape(registry: ReturnType<typeof createServiceRegistry>) {
  const app = Fastify();
  apps.push(app);
  await app.register(observability, { registry });
  return app.inject({ method: 'GET', url: '/metrics' });
}

describe('GET /metrics', () => {
  it('serves default and pipeline metrics with base-unit names and the service label', async () => {
    const registry = createServiceRegistry('fraud-scorer');
    const metrics = createPipelineMetrics(registry);
    metrics.eventsIn.inc({ topic: 'payments' }, 3);
    metrics.eventsFailed.inc({ topic: 'payments', reason: 'invalid' });
    metrics.processingSeconds.observe({ topic: 'payments' }, 0.004);
    metrics.endToEndSeconds.observe({ topic: 'payments' }, 0.02);
    metrics.consumerLag.set({ topic: 'payments', partition: '0' }, 7);

    const response = await scrape(registry);

    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe(registry.contentType);
    const body = response.body;
    const service = 'fraud-scorer';
    expect(sampleValue(body, 'process_cpu_seconds_total', { service })).toBeGreaterThan(0);
    expect(sampleValue(body, 'nodejs_eventloop_lag_seconds', { service })).toBeGreaterThanOrEqual(0);
    expect(sampleValue(body, 'streamkit_events_in_total', { service, topic: 'payments' })).toBe(3);
    expect(
      sampleValue(body, 'streamkit_events_failed_total', { service, topic: 'payments', reason: 'invalid' }),
    ).toBe(1);
    expect(
      sampleValue(body, 'streamkit_processing_seconds_bucket', { service, topic: 'payments', le: '0.005' }),
    ).toBe(1);
    expect(
      sampleValue(body, 'streamkit_processing_seconds_bucket', { service, topic: 'payments', le: '0.0025' }),
    ).toBe(0);
    expect(
      sampleValue(body, 'streamkit_end_to_end_latency_seconds_count', { service, topic: 'payments' }),
    ).toBe(1);
    expect(
      sampleValue(body, 'streamkit_consumer_lag_messages', { service, topic: 'payments', partition: '0' }),
    ).toBe(7);
  });

  it('keeps two registries in one process apart: same names, no error, independent values', async () => {
    const scorer = createServiceRegistry('scorer');
    const alerter = createServiceRegistry('alerter');
    const scorerMetrics = createPipelineMetrics(scorer);
    const alerterMetrics = createPipelineMetrics(alerter);
    scorerMetrics.eventsOut.inc({ topic: 'payments.decisions' }, 5);
    alerterMetrics.eventsOut.inc({ topic: 'payments.decisions' }, 2);

    const scorerBody = (await scrape(scorer)).body;
    const alerterBody = (await scrape(alerter)).body;

    const topic = 'payments.decisions';
    expect(sampleValue(scorerBody, 'streamkit_events_out_total', { service: 'scorer', topic })).toBe(5);
    expect(sampleValue(alerterBody, 'streamkit_events_out_total', { service: 'alerter', topic })).toBe(2);
    expect(scorerBody).not.toContain('service="alerter"');
  });

  it('leaves out process metrics when asked', async () => {
    const registry = createServiceRegistry('quiet', { defaultMetrics: false });
    new Counter({ name: 'quiet_things_total', help: 'things', registers: [registry] }).inc();

    const body = (await scrape(registry)).body;

    expect(sampleValue(body, 'quiet_things_total', { service: 'quiet' })).toBe(1);
    expect(body).not.toContain('process_cpu_seconds_total');
  });

  it('rejects an empty service name', () => {
    expect(() => createServiceRegistry('  ')).toThrow(SettingsError);
  });
});
