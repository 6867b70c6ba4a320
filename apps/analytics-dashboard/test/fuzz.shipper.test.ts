// The fuzzer at the shipper's two doors: POST /logs (NDJSON or combined lines) and the lines of a
// tailed log file. Generated access lines (the log generator's, and objects from the AccessLog
// schema), their mutations, raw bytes: never a 5xx, every refusal a 4xx in the common body (a 400
// naming the line), every record on the logs topic an AccessLog and on its .dlq a RejectedLogLine.
import { appendFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { type RunningService, startService } from '@streamkit/runtime';
import { accessLogValidator, rejectedLogLineValidator } from '@streamkit/schemas';
import {
  arbitraryOf,
  fc,
  finishFuzzRound,
  fuzzIngress,
  invalidRecords,
  type JsonSchema,
  loadFuzzSettings,
  mutationsOf,
  reportFuzzFigures,
  sampleFuzzInputs,
} from '@streamkit/testkit/fuzz';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { combinedLine, jsonLine } from '../src/loggen/access-line.ts';
import { createTraffic } from '../src/loggen/traffic.ts';
import { shipperService } from '../src/shipper/service.ts';
import { createShipperTestEnv, type ShipperTestEnv, TEST_HOST } from './support/shipper-harness.ts';

const infra = inject('infrastructure');
const apiKey = 'fuzz-test-key-0123456789';
let env: ShipperTestEnv;
let shipper: RunningService<unknown, unknown>;
let app: FastifyInstance;
let file: string;

beforeAll(async () => {
  env = await createShipperTestEnv(infra, 'ship-fuzz');
  file = join(env.dir, 'access.log');
  await appendFile(file, '');
  shipper = await startService(shipperService, {
    env: {
      KAFKA_BROKERS: infra.kafkaBrokers.join(','),
      KAFKA_TOPIC_PREFIX: env.prefix,
      SHIPPER_API_KEY: apiKey,
      SHIPPER_FILES: file,
      SHIPPER_CHECKPOINT_FILE: join(env.dir, 'checkpoints.json'),
      SHIPPER_LOG_HOST: TEST_HOST,
      SHIPPER_POLL_MS: '20',
      SHIPPER_BODY_LIMIT_BYTES: String(256 * 1024),
      SHIPPER_MAX_LINES_PER_REQUEST: '50',
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
    },
  });
  if (shipper.app === undefined) throw new Error('the shipper has an HTTP app');
  app = shipper.app;
});
afterAll(async () => {
  await shipper?.stop();
  await env?.close();
});

/** A request as the log generator makes it up, at a time within the last days. */
const request = fc
  .tuple(fc.integer({ min: 1, max: 2 ** 30 }), fc.integer({ min: 0, max: 3 * 86_400_000 }))
  .map(([seed, ago]) =>
    createTraffic({ seed, hosts: ['api-1.shop.example', 'www.shop.example'], errorRate: 0.2 })(
      Date.now() - ago,
    ),
  );
const jsonObject = fc.oneof(
  request.map((r) => JSON.parse(jsonLine(r)) as unknown),
  arbitraryOf(accessLogValidator.schema as JsonSchema),
);
/** Edits a combined line as a corrupted file would: characters dropped, replaced, cut. */
const mangledCombined = fc
  .tuple(
    request,
    fc.array(fc.tuple(fc.nat(), fc.nat(3), fc.string({ maxLength: 4, unit: 'binary' })), { maxLength: 4 }),
  )
  .map(([r, edits]) => {
    let line = combinedLine(r);
    for (const [at, kind, text] of edits) {
      const i = at % Math.max(1, line.length);
      line =
        kind === 0
          ? line.slice(0, i) + line.slice(i + 1)
          : kind === 1
            ? line.slice(0, i) + text + line.slice(i + 1)
            : kind === 2
              ? line.slice(0, i)
              : line.slice(0, i) + text + line.slice(i);
    }
    return line;
  });
const line = fc
  .oneof(
    request.map(combinedLine),
    jsonObject.map((o) => JSON.stringify(o)),
    mutationsOf(jsonObject).map((o) => JSON.stringify(o) ?? ''),
    mangledCombined,
    fc.string({ maxLength: 300, unit: 'binary' }),
  )
  // a line of a file or an NDJSON body holds no line break
  .map((l) => l.replace(/[\r\n]/g, ' '));

describe('fuzz: the shipper', () => {
  it('POST /logs answers every generated or mutated body with 202 or a 4xx naming the line', async () => {
    const figures = await fuzzIngress(
      'shipper POST /logs',
      fc.array(line, { minLength: 0, maxLength: 8 }),
      async (lines) => {
        const res = await app.inject({
          method: 'POST',
          url: '/logs',
          headers: { 'content-type': 'application/x-ndjson', 'x-api-key': apiKey },
          payload: lines.join('\n'),
        });
        return { status: res.statusCode, body: res.body };
      },
      { accepted: [202], otherRejections: [413] },
    );
    const records = await env.admin.readTopic(env.topics.logs.name);
    expect(finishFuzzRound(figures, records, (v) => accessLogValidator.validate(v))).toEqual([]);
    expect(figures.accepted).toBeGreaterThan(0);
  });

  it('file lines: each becomes a valid AccessLog or a valid RejectedLogLine, and the shipper keeps tailing', async () => {
    const settings = loadFuzzSettings();
    const lines = sampleFuzzInputs(line, settings);
    const started = performance.now();
    const sentinelPath = `/fuzz-sentinel-${Date.now()}`;
    const sentinel = combinedLine({
      ...createTraffic({ seed: 1, hosts: ['api-1.shop.example'], errorRate: 0 })(Date.now()),
      path: sentinelPath,
      query: undefined,
    });
    await appendFile(file, `${lines.join('\n')}\n${sentinel}\n`);
    // the file is read in order: once the sentinel is shipped, every fuzz line was handled
    await expect
      .poll(async () => (await env.shippedLogs()).some((l) => l.path === sentinelPath), {
        timeout: 60_000 + settings.runs * 10,
      })
      .toBe(true);
    const seconds = (performance.now() - started) / 1000;
    const logs = await env.admin.readTopic(env.topics.logs.name);
    const rejected = await env.admin.readTopic(env.topics.rejected.name);
    expect(invalidRecords(logs, (v) => accessLogValidator.validate(v))).toEqual([]);
    expect(invalidRecords(rejected, (v) => rejectedLogLineValidator.validate(v))).toEqual([]);
    const fromFile = logs.filter((r) => JSON.parse(r.value ?? '{}').source === 'file').length - 1;
    const rejectedFromFile = rejected.filter((r) => JSON.parse(r.value ?? '{}').source === 'file').length;
    reportFuzzFigures({
      ingress: 'shipper log-file lines',
      inputs: lines.length,
      accepted: fromFile,
      rejected: { dead_lettered: rejectedFromFile },
      serverErrors: 0,
      seconds: Math.round(seconds * 10) / 10,
      inputsPerSecond: Math.round(lines.length / seconds),
      loadAverage: Math.round((loadavg()[0] ?? 0) * 100) / 100,
      topicRecords: logs.length + rejected.length,
    });
    expect((await app.inject({ url: '/health' })).statusCode).toBe(200);
  });
});
