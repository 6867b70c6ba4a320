import { context } from '@opentelemetry/api';
import { createHttpApp, createInFlightLimit, type HttpApp, requireApiKey, sendError } from '@streamkit/http';
import type { HealthCheck } from '@streamkit/runtime';
import { DEFAULT_MAX_FUTURE_SKEW_MS } from '@streamkit/schemas';
import { extractTraceContext, type PipelineMetrics } from '@streamkit/telemetry';
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
  readonly defaultHost: string;
}

export interface ShipperAppSettings {
  readonly apiKey: string;
  readonly bodyLimitBytes: number;
  readonly maxLinesPerRequest: number;
  readonly maxInFlightRequests: number;
  /** A line dated further ahead of the clock is refused (400 naming `lines/N/ts`); default 5 min. */
  readonly maxFutureSkewMs?: number;
}

/**
 * The shipper's HTTP input as a fastify instance (not listening): POST /logs takes NDJSON or
 * combined-format lines, one per line. Every line is checked first: one bad line answers 400
 * naming each bad line (`lines/3`) and nothing of that request reaches Kafka; otherwise 202 once
 * Kafka acknowledged them. 401 without the right `x-api-key`, 413 over the size or line limit,
 * 503 when too many requests are in flight or Kafka cannot take more. Also /metrics and /health.
 */
export async function buildShipperApp(deps: ShipperAppDeps, settings: ShipperAppSettings): Promise<HttpApp> {
  if (settings.maxLinesPerRequest < 1 || settings.maxInFlightRequests < 1) {
    throw new ShipperSettingsError('maxLinesPerRequest and maxInFlightRequests must be at least 1');
  }
  const app = await createHttpApp({
    registry: deps.registry,
    checks: deps.checks,
    bodyLimit: settings.bodyLimitBytes,
    logger: false,
    unsupportedMediaTypeMessage: 'send application/x-ndjson',
  });
  const inFlight = createInFlightLimit(settings.maxInFlightRequests);

  app.addContentTypeParser(
    ['application/x-ndjson', 'application/jsonl', 'text/plain'],
    { parseAs: 'string' },
    (_request, body, done) => done(null, body),
  );

  app.post(
    '/logs',
    { onRequest: [requireApiKey(settings.apiKey), inFlight.onRequest] },
    async (request, reply) => {
      if (typeof request.body !== 'string') {
        return sendError(reply, 400, {
          message: 'invalid request body',
          fields: [{ field: '', message: 'must be NDJSON or combined-format lines' }],
        });
      }
      const lines = request.body.split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
      const numbered = lines.map((text, i) => ({ text, number: i + 1 })).filter((l) => l.text.trim() !== '');
      if (numbered.length === 0) {
        return sendError(reply, 400, {
          message: 'invalid request body',
          fields: [{ field: '', message: 'holds no lines' }],
        });
      }
      if (numbered.length > settings.maxLinesPerRequest) {
        return sendError(reply, 413, `more than ${settings.maxLinesPerRequest} lines`);
      }
      const fields = numbered.flatMap(({ text, number }) => {
        const outcome = processLine(text, { source: 'http', defaultHost: deps.defaultHost }, deps.agents, {
          maxFutureSkewMs: settings.maxFutureSkewMs ?? DEFAULT_MAX_FUTURE_SKEW_MS,
        });
        if (outcome.ok) return [];
        const field = outcome.field === undefined ? `lines/${number}` : `lines/${number}/${outcome.field}`;
        return [{ field, message: outcome.rejected.reason }];
      });
      if (fields.length > 0) {
        deps.metrics.eventsFailed.inc(
          { topic: deps.topics.logs.name, reason: 'invalid-request' },
          fields.length,
        );
        return sendError(reply, 400, { message: 'invalid request body: nothing was shipped', fields });
      }
      // the lines' trace continues the caller's (its traceparent header), when it sent one
      const caller = extractTraceContext(request.headers as Record<string, string | undefined>);
      const result = await context.with(caller, () => deps.sender.send(numbered, 'http'));
      return reply.code(202).send({ accepted: result.shipped });
    },
  );
  return app;
}
