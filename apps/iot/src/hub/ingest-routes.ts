import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { trace } from '@opentelemetry/api';
import { sendError } from '@streamkit/http';
import type { FieldError } from '@streamkit/schemas';
import type { DeviceRegistry } from './device-registry.ts';
import { ndjsonLines } from './ndjson.ts';
import type { IngestOutcome, ReadingIngest } from './reading-ingest.ts';
import { createTokenLookup, type TokenLookupSettings } from './token-lookup.ts';
import { bearerToken } from './tokens.ts';

export interface IngestRoutesOptions {
  readonly ingest: ReadingIngest;
  readonly registry: Pick<DeviceRegistry, 'deviceForToken'>;
  readonly maxLines: number;
  /** The guard on token lookups (negative cache, per-address bound on unknown tokens); defaults. */
  readonly tokenLookup?: Partial<TokenLookupSettings>;
}

export const NDJSON_TYPES = ['application/x-ndjson', 'application/ndjson'];

function lineErrors(outcome: IngestOutcome): FieldError[] {
  switch (outcome.kind) {
    case 'accepted':
      return [];
    case 'invalid':
      return [...outcome.errors];
    case 'wrong_device':
      return [{ field: 'deviceId', message: `must be ${outcome.expected}, the device the token belongs to` }];
    case 'unknown_device':
      return [{ field: 'deviceId', message: 'is not a registered device' }];
    case 'disabled_device':
      return [{ field: 'deviceId', message: 'is disabled' }];
  }
}

/**
 * POST /ingest: an NDJSON batch of readings from one device, authorised by the device's token
 * (`Authorization: Bearer <token>`; unknown tokens are cached and bounded per address, token-lookup.ts). Valid lines are produced to Kafka before the answer; each
 * failing line is named (`lines/<n>/<field>`), the answer is then 400 and says how many were
 * accepted. A Kafka that cannot take more is 503 + Retry-After (the common error handler).
 */
export const ingestRoutes: FastifyPluginAsyncTypebox<IngestRoutesOptions> = async (app, options) => {
  app.addContentTypeParser(NDJSON_TYPES, { parseAs: 'string' }, (_request, body, done) => done(null, body));

  const tokens = createTokenLookup(options.registry, options.tokenLookup);

  app.post('/ingest', async (request, reply) => {
    const owner = await tokens.verdict(bearerToken(request.headers.authorization), request.ip);
    if (owner.kind === 'limited') {
      return sendError(reply, 429, {
        message: `too many unknown device tokens from ${request.ip}; wait`,
        retryAfterS: owner.retryAfterS,
      });
    }
    if (owner.kind === 'unknown') {
      reply.header('www-authenticate', 'Bearer');
      return sendError(reply, 401, 'send the device token as Authorization: Bearer <token>');
    }
    if (owner.status !== 'active') return sendError(reply, 403, 'the device is disabled');
    if (typeof request.body !== 'string') return sendError(reply, 415, 'send application/x-ndjson');
    const lines = ndjsonLines(request.body);
    if (lines.length === 0 || lines.length > options.maxLines) {
      const message = lines.length === 0 ? 'holds no readings' : `holds more than ${options.maxLines} lines`;
      return sendError(reply, 400, { message: 'invalid request body', fields: [{ field: '', message }] });
    }

    // on the request's span (the http/fastify instrumentations'), whose trace the readings carry on
    trace.getActiveSpan()?.setAttribute('iot.device_id', owner.deviceId);
    const outcomes: IngestOutcome[] = await Promise.all(
      lines.map((l) =>
        options.ingest.ingestBytes(Buffer.from(l.text, 'utf8'), {
          channel: 'http',
          origin: '/ingest',
          deviceId: owner.deviceId,
        }),
      ),
    );

    const failed = outcomes.flatMap((outcome, i) => {
      const errors = lineErrors(outcome);
      return errors.length === 0 ? [] : [{ line: lines[i]?.line ?? i + 1, errors }];
    });
    const accepted = outcomes.length - failed.length;
    if (failed.length === 0) return reply.code(200).send({ accepted, rejected: 0 });
    // the valid lines are in Kafka: say so, and name each failing line (resend only those)
    return sendError(reply, 400, {
      message: `${accepted} line(s) accepted, ${failed.length} rejected`,
      fields: failed.flatMap((f) =>
        f.errors.map((e) => ({
          field: e.field === '' ? `lines/${f.line}` : `lines/${f.line}/${e.field}`,
          message: e.message,
        })),
      ),
    });
  });
};
