import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { KafkaBackpressureError } from '@streamkit/kafka';
import type { FieldError } from '@streamkit/schemas';
import type { DeviceRegistry } from './device-registry.ts';
import { withIngestSpan } from './ingest-span.ts';
import { ndjsonLines } from './ndjson.ts';
import type { IngestOutcome, ReadingIngest } from './reading-ingest.ts';
import { bearerToken } from './tokens.ts';

export interface IngestRoutesOptions {
  readonly ingest: ReadingIngest;
  readonly registry: Pick<DeviceRegistry, 'deviceForToken'>;
  readonly maxLines: number;
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
 * (`Authorization: Bearer <token>`). Valid lines are produced to Kafka before the answer; each
 * failing line is named (`lines/<n>/<field>`), the answer is then 400 and says how many were accepted.
 */
export const ingestRoutes: FastifyPluginAsyncTypebox<IngestRoutesOptions> = async (app, options) => {
  app.addContentTypeParser(NDJSON_TYPES, { parseAs: 'string' }, (_request, body, done) => done(null, body));

  app.post('/ingest', async (request, reply) => {
    const token = bearerToken(request.headers.authorization);
    const owner = token === undefined ? undefined : await options.registry.deviceForToken(token);
    if (owner === undefined) {
      return reply
        .code(401)
        .header('www-authenticate', 'Bearer')
        .send({ error: 'unauthorized', message: 'send the device token as Authorization: Bearer <token>' });
    }
    if (owner.status !== 'active')
      return reply.code(403).send({ error: 'forbidden', message: 'device is disabled' });
    if (typeof request.body !== 'string') {
      return reply.code(415).send({ error: 'unsupported media type', message: 'send application/x-ndjson' });
    }
    const lines = ndjsonLines(request.body);
    if (lines.length === 0 || lines.length > options.maxLines) {
      const message = lines.length === 0 ? 'holds no readings' : `holds more than ${options.maxLines} lines`;
      return reply.code(400).send({ error: 'invalid request', fields: [{ field: '', message }] });
    }

    let outcomes: IngestOutcome[];
    try {
      outcomes = await withIngestSpan(
        request.headers as Record<string, string | undefined>,
        'POST /ingest',
        { 'iot.device_id': owner.deviceId },
        () =>
          Promise.all(
            lines.map((l) =>
              options.ingest.ingestBytes(Buffer.from(l.text, 'utf8'), {
                channel: 'http',
                origin: '/ingest',
                deviceId: owner.deviceId,
              }),
            ),
          ),
      );
    } catch (error) {
      if (error instanceof KafkaBackpressureError) {
        const seconds = Math.max(1, Math.ceil(error.retryAfterMs / 1000));
        return reply
          .code(503)
          .header('retry-after', String(seconds))
          .send({ error: 'overloaded', message: error.message });
      }
      throw error;
    }

    const failed = outcomes.flatMap((outcome, i) => {
      const errors = lineErrors(outcome);
      return errors.length === 0 ? [] : [{ line: lines[i]?.line ?? i + 1, errors }];
    });
    const accepted = outcomes.length - failed.length;
    if (failed.length === 0) return reply.code(200).send({ accepted, rejected: 0 });
    return reply.code(400).send({
      error: 'invalid request',
      accepted,
      rejected: failed.length,
      fields: failed.flatMap((f) =>
        f.errors.map((e) => ({
          field: e.field === '' ? `lines/${f.line}` : `lines/${f.line}/${e.field}`,
          message: e.message,
        })),
      ),
      lines: failed,
    });
  });
};
