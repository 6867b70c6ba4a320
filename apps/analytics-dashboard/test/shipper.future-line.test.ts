// Lines dated 2099 at the shipper: POST /logs answers 400 naming the line's ts and ships nothing of
// that request; in a log file, the line goes to the DLQ with the reason and the lines after it ship.
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { type RunningService, startService } from '@streamkit/runtime';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { combinedLine, jsonLine } from '../src/loggen/access-line.ts';
import { createLogWriter } from '../src/loggen/log-writer.ts';
import { createTraffic } from '../src/loggen/traffic.ts';
import { openCheckpointStore } from '../src/shipper/checkpoint-store.ts';
import { type FileIdentity, identify, lineId } from '../src/shipper/file-identity.ts';
import { createFileTailer } from '../src/shipper/file-tailer.ts';
import { shipperService } from '../src/shipper/service.ts';
import { createShipperTestEnv, expectedOffsets, type ShipperTestEnv } from './support/shipper-harness.ts';

const infra = inject('infrastructure');
const apiKey = 'future-test-key-0123456789';
const FUTURE = Date.UTC(2099, 0, 1);
let env: ShipperTestEnv;
let shipper: RunningService<unknown, unknown> | undefined;
const traffic = createTraffic({ seed: 11, hosts: ['web-1.shop.example'], errorRate: 0 });
let clock = Date.UTC(2026, 0, 31, 12, 0, 0);
const nextLines = (n: number) =>
  Array.from({ length: n }, () => {
    clock += 41;
    return combinedLine(traffic(clock));
  });

beforeAll(async () => {
  env = await createShipperTestEnv(infra, 'ship-future');
  shipper = await startService(shipperService, {
    env: {
      KAFKA_BROKERS: infra.kafkaBrokers.join(','),
      KAFKA_TOPIC_PREFIX: env.prefix,
      SHIPPER_API_KEY: apiKey,
      EVENT_TIME_MAX_FUTURE_SKEW_MS: '60000',
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
    },
  });
});
afterAll(async () => {
  await shipper?.stop();
  await env?.close();
});

const post = (lines: readonly string[]) =>
  shipper?.app?.inject({
    method: 'POST',
    url: '/logs',
    headers: { 'content-type': 'application/x-ndjson', 'x-api-key': apiKey },
    payload: lines.join('\n'),
  });

describe('shipper and far-future lines', () => {
  it('POST /logs answers 400 naming lines/N/ts beyond EVENT_TIME_MAX_FUTURE_SKEW_MS and ships nothing of it', async () => {
    const now = Date.now();
    const hostile = [jsonLine(traffic(now)), jsonLine(traffic(FUTURE))];
    const refused = await post(hostile);
    expect(refused?.statusCode).toBe(400);
    expect(refused?.json()).toEqual({
      error: 'bad_request',
      message: 'invalid request body: nothing was shipped',
      fields: [
        {
          field: 'lines/2/ts',
          message: expect.stringMatching(/^ts must not lie more than 60000 ms in the future/),
        },
      ],
    });
    // 30 s ahead is within this shipper's 60 s skew
    const accepted = await post([jsonLine(traffic(now + 30_000))]);
    expect(accepted?.statusCode).toBe(202);
    const shipped = (await env.shippedLogs()).filter((l) => l.source === 'http');
    expect(shipped.map((l) => l.ts)).toEqual([new Date(now + 30_000).toISOString()]);
  });

  it('sends a 2099 file line to the DLQ with the reason and ships every line around it', async () => {
    const path = join(env.dir, 'future.log');
    const writer = createLogWriter({ path, rotateAtBytes: 0, rotation: 'rename', keep: 1 });
    const hostile = combinedLine(traffic(FUTURE));
    const lines = [...nextLines(20), hostile, ...nextLines(20)];
    await writer.append(lines);
    const handle = await open(path, 'r');
    const identity = (await identify(handle).finally(() => handle.close())) as FileIdentity;
    const store = await openCheckpointStore(join(env.dir, 'future.checkpoint.json'));
    const tailer = createFileTailer(path, store, (batch) => env.sender.send(batch, 'file').then(() => {}), {
      maxBatchLines: 1000,
      readChunkBytes: 64 * 1024,
    });
    expect(await tailer.poll()).toBe(lines.length);
    await tailer.close();

    const ids = expectedOffsets(lines).map((o) => lineId(identity, o));
    const hostileId = ids[20];
    const shipped = (await env.shippedLogs()).filter((l) => l.source === 'file').map((l) => l.id);
    expect(shipped.sort()).toEqual(ids.filter((id) => id !== hostileId).sort());
    const rejected = await env.rejectedLines();
    expect(rejected).toHaveLength(1);
    expect(rejected[0]?.value).toMatchObject({ raw: hostile, source: 'file', id: hostileId });
    expect(rejected[0]?.reason).toMatch(/^ts must not lie more than 300000 ms in the future/);
  });
});
