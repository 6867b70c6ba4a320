import { context } from '@opentelemetry/api';
import { createApiKeyCheck } from '@streamkit/http';
import type { TypedProducer } from '@streamkit/kafka';
import { type HealthCheck, observability } from '@streamkit/runtime';
import { extractTraceContext, type PipelineMetrics } from '@streamkit/telemetry';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';
import type { DashboardTopics } from '../common/topics.ts';
import { ShipperSettingsError } from './errors.ts';
import { processLine } from './line-processor.ts';
import type { LineSender } from './line-sender.ts';
import type { UserAgentClassifier } from './user-agents.ts';

export interface ShipperAppDeps {
  readonly sender: LineSender;
  /** for the metrics' topic label */
  readonly topics: DashboardTopics;
  readonly agents: UserAgentClassifier;
  readonly registry: Registry;
  readonly metrics: PipelineMetrics;
  readonly checks: Readonly<Record<string, HealthCheck>>;
  /** closed with the app (flushes what is buffered) */
  readonly producer?: TypedProducer;
  readonly defaultHost: string;
}

export interface ShipperAppSettings {
  readonly apiKey: string;
  readonly bodyLimitBytes: number;
  readonly maxLinesPerRequest: number;
  readonly maxInFlightRequests: number;
}

/**
 * The shipper's HTTP input as a fastify instance (not listening): POST /logs takes NDJSON or
 * combined-format lines, one per line. Every line is checked first: one bad line answers 400
 * naming each bad line (`line 3`) and nothing of that request reaches Kafka; otherwise 202 once
 * Kafka acknowledged them. 401 without the right `x-api-key`, 413 over the size or line limit,
 * 503 when too many requests are in flight. Also /metrics and /health.
 */
export async function buildShipperApp(
  deps: ShipperAppDeps,
  settings: ShipperAppSettings,
): Promise<FastifyInstance> {
  if (settings.apiKey.length < 16) throw new ShipperSettingsError('apiKey must have at least 16 characters');
  if (settings.maxLinesPerRequest < 1 || settings.maxInFlightRequests < 1) {
    throw new ShipperSettingsError('maxLinesPerRequest and maxInFlightRequests must be at least 1');
  }
  const app = Fastify({ logger: false, bodyLimit: settings.bodyLimitBytes, return503OnClosing: true });
  const checkApiKey = createApiKeyCheck(settings.apiKey);
  let inFlight = 0;

  app.addContentTypeParser(
    ['application/x-ndjson', 'application/jsonl', 'text/plain'],
    { parseAs: 'string' },
    (_request, body, done) => done(null, body),
  );
  app.setErrorHandler((error: { code?: string; statusCode?: number; message: string }, _request, reply) => {
    if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      return reply.code(413).send({ error: 'payload too large', message: error.message });
    }
    if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
      return reply.code(415).send({ error: 'unsupported media type', message: 'send application/x-ndjson' });
    }
    const status = error.statusCode !== undefined && error.statusCode < 500 ? error.statusCode : 500;
    return reply.code(status).send({ error: status === 500 ? 'internal error' : 'bad request' });
  });
  await app.register(observability, { registry: deps.registry, checks: deps.checks });
  if (deps.producer !== undefined) {
    const producer = deps.producer;
    app.addHook('onClose', async () => producer.disconnect());
  }

  app.post('/logs', async (request, reply) => {
    if (!checkApiKey(request.headers['x-api-key'])) {
      return reply.code(401).send({ error: 'unauthorized', message: 'missing or wrong x-api-key' });
    }
    if (typeof request.body !== 'string') {
      return reply
        .code(400)
        .send({ error: 'invalid request', fields: [{ field: '', message: 'body must be NDJSON' }] });
    }
    const lines = request.body.split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
    const numbered = lines.map((text, i) => ({ text, number: i + 1 })).filter((l) => l.text.trim() !== '');
    if (numbered.length === 0) {
      return reply.code(400).send({ error: 'invalid request', fields: [{ field: '', message: 'no lines' }] });
    }
    if (numbered.length > settings.maxLinesPerRequest) {
      return reply
        .code(413)
        .send({ error: 'payload too large', message: `more than ${settings.maxLinesPerRequest} lines` });
    }
    const fields = numbered.flatMap(({ text, number }) => {
      const outcome = processLine(text, { source: 'http', defaultHost: deps.defaultHost }, deps.agents);
      return outcome.ok ? [] : [{ field: `line ${number}`, message: outcome.rejected.reason }];
    });
    if (fields.length > 0) {
      deps.metrics.eventsFailed.inc(
        { topic: deps.topics.logs.name, reason: 'invalid-request' },
        fields.length,
      );
      return reply.code(400).send({ error: 'invalid request', fields });
    }
    if (inFlight >= settings.maxInFlightRequests) {
      return reply
        .code(503)
        .header('retry-after', '1')
        .send({ error: 'overloaded', message: 'too many requests in flight' });
    }
    inFlight++;
    try {
      // the lines' trace continues the caller's (its traceparent header), when it sent one
      const caller = extractTraceContext(request.headers as Record<string, string | undefined>);
      const result = await context.with(caller, () => deps.sender.send(numbered, 'http'));
      return reply.code(202).send({ accepted: result.shipped });
    } finally {
      inFlight--;
    }
  });
  return app;
}
