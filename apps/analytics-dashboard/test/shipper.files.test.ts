import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { combinedLine, jsonLine } from '../src/loggen/access-line.ts';
import { createLogWriter, type RotationMode } from '../src/loggen/log-writer.ts';
import { createTraffic } from '../src/loggen/traffic.ts';
import { openCheckpointStore } from '../src/shipper/checkpoint-store.ts';
import { type FileIdentity, identify, lineId } from '../src/shipper/file-identity.ts';
import { startFileInputs } from '../src/shipper/file-inputs.ts';
import { createFileTailer, type FileTailer } from '../src/shipper/file-tailer.ts';
import {
  createShipperTestEnv,
  expectedOffsets,
  type ShipperTestEnv,
  TEST_HOST,
} from './support/shipper-harness.ts';

const infra = inject('infrastructure');
let env: ShipperTestEnv;
const traffic = createTraffic({
  seed: 7,
  hosts: ['web-1.shop.example', 'web-2.shop.example'],
  errorRate: 0.05,
});
let clock = Date.UTC(2025, 0, 31, 12, 0, 0);
const nextLines = (n: number, format: 'combined' | 'json' = 'combined') =>
  Array.from({ length: n }, () => {
    clock += 37;
    return format === 'json' ? jsonLine(traffic(clock)) : combinedLine(traffic(clock));
  });

beforeAll(async () => {
  env = await createShipperTestEnv(infra, 'ship-files');
});
afterAll(async () => {
  await env?.close();
});

async function identityOf(path: string): Promise<FileIdentity> {
  const handle = await open(path, 'r');
  try {
    return (await identify(handle)) as FileIdentity;
  } finally {
    await handle.close();
  }
}

const idsOf = (identity: FileIdentity, lines: readonly string[], startOffset = 0) =>
  expectedOffsets(lines).map((o) => lineId(identity, startOffset + o));

async function tailer(path: string, checkpointFile: string, maxBatchLines = 1000): Promise<FileTailer> {
  const store = await openCheckpointStore(checkpointFile);
  return createFileTailer(path, store, (lines) => env.sender.send(lines, 'file').then(() => {}), {
    maxBatchLines,
    readChunkBytes: 64 * 1024,
  });
}

async function shippedIdsStartingWith(prefix: string): Promise<string[]> {
  return (await env.shippedLogs()).map((l) => l.id ?? '').filter((id) => id.startsWith(prefix));
}

describe('tailing files', () => {
  it('ships each line once with its id, malformed lines to the DLQ, and resumes from the checkpoint', async () => {
    const path = join(env.dir, 'basic.log');
    const writer = createLogWriter({ path, rotateAtBytes: 0, rotation: 'rename', keep: 2 });
    const first = [
      ...nextLines(300),
      'this is not an access log',
      ...nextLines(100, 'json'),
      '{"ts": broken',
    ];
    await writer.append(first);
    const identity = await identityOf(path);
    const checkpointFile = join(env.dir, 'basic.checkpoint.json');

    const before = await tailer(path, checkpointFile, 128);
    expect(await before.poll()).toBe(402);
    await before.close();

    // a new tailer (as after a restart) reads only what was appended since
    const second = nextLines(50);
    await writer.append(second);
    const after = await tailer(path, checkpointFile);
    expect(await after.poll()).toBe(50);
    await after.close();

    const all = [...first, ...second];
    const good = new Set(['this is not an access log', '{"ts": broken']);
    const expected = idsOf(identity, all).filter((_, i) => !good.has(all[i] as string));
    const shipped = await shippedIdsStartingWith(lineId(identity, 0).replace(/\.0$/, '.'));
    expect(shipped.sort()).toEqual(expected.sort());

    const logs = await env.shippedLogs();
    const fromCombined = logs.find((l) => l.id === lineId(identity, 0));
    expect(fromCombined).toMatchObject({ host: TEST_HOST, source: 'file' });
    const jsonHosts = new Set(logs.filter((l) => l.host !== TEST_HOST).map((l) => l.host));
    expect(jsonHosts).toEqual(new Set(['web-1.shop.example', 'web-2.shop.example']));

    const rejected = await env.rejectedLines();
    expect(rejected.map((r) => r.value.raw).sort()).toEqual(
      ['this is not an access log', '{"ts": broken'].sort(),
    );
    expect(
      rejected.every((r) => r.reason !== undefined && r.reason === r.value.reason && r.value.file === path),
    ).toBe(true);
    const failed = await env.metrics.eventsFailed.get();
    expect(failed.values.find((v) => v.labels.topic === env.topics.logs.name)?.value).toBe(2);
  });

  it.each<[RotationMode]>([['rename'], ['copytruncate']])(
    'follows %s rotation mid-way, running and across a restart, without losing or repeating lines',
    async (rotation) => {
      const path = join(env.dir, `rot-${rotation}.log`);
      const checkpointFile = join(env.dir, `rot-${rotation}.checkpoint.json`);
      const writer = createLogWriter({ path, rotateAtBytes: 0, rotation, keep: 3 });
      const expected: string[] = [];

      // 1. running: lines appended, then the file rotates before the tailer read them
      const a = nextLines(200);
      await writer.append(a);
      const idA = await identityOf(path);
      expected.push(...idsOf(idA, a));
      const running = await tailer(path, checkpointFile, 64);
      expect(await running.poll()).toBe(200);
      const b = nextLines(120);
      await writer.append(b);
      expected.push(...idsOf(idA, b, Buffer.byteLength(`${a.join('\n')}\n`)));
      await writer.rotate();
      const c = nextLines(80);
      await writer.append(c);
      const idC = await identityOf(path);
      expected.push(...idsOf(idC, c));
      expect(await running.poll()).toBe(200);
      await running.close();

      // 2. stopped: more lines, another rotation, new lines; the restarted tailer finds them all
      const d = nextLines(90);
      await writer.append(d);
      expected.push(...idsOf(idC, d, Buffer.byteLength(`${c.join('\n')}\n`)));
      await writer.rotate();
      const e = nextLines(30);
      await writer.append(e);
      const idE = await identityOf(path);
      expected.push(...idsOf(idE, e));
      const restarted = await tailer(path, checkpointFile);
      expect(await restarted.poll()).toBe(120);
      expect(await restarted.poll()).toBe(0);
      await restarted.close();

      const prefixes = [idA, idC, idE].map((i) => lineId(i, 0).replace(/\.0$/, '.'));
      const shipped = (await env.shippedLogs())
        .map((l) => l.id ?? '')
        .filter((id) => prefixes.some((p) => id.startsWith(p)));
      expect(shipped.length).toBe(expected.length);
      expect(shipped.sort()).toEqual(expected.sort());
    },
  );

  it('after copytruncate, new content longer than the old offset is read from its start, not the old offset', async () => {
    const path = join(env.dir, 'outgrow.log');
    const writer = createLogWriter({ path, rotateAtBytes: 0, rotation: 'copytruncate', keep: 2 });
    const a = nextLines(10);
    await writer.append(a);
    const idA = await identityOf(path);
    const running = await tailer(path, join(env.dir, 'outgrow.checkpoint.json'));
    expect(await running.poll()).toBe(10);
    const b = nextLines(5);
    await writer.append(b);
    await writer.rotate();
    const c = nextLines(60);
    await writer.append(c);
    const idC = await identityOf(path);
    expect(await running.poll()).toBe(65);
    await running.close();
    const expected = [...idsOf(idA, [...a, ...b]), ...idsOf(idC, c)];
    const prefixes = [idA, idC].map((i) => lineId(i, 0).replace(/\.0$/, '.'));
    const shipped = (await env.shippedLogs())
      .map((l) => l.id ?? '')
      .filter((id) => prefixes.some((p) => id.startsWith(p)));
    expect(shipped.sort()).toEqual(expected.sort());
  });

  it('after a failed send (a broker restart) the checkpoint moves on again: every line shipped, the checkpoint at the end', async () => {
    const path = join(env.dir, 'outage.log');
    const writer = createLogWriter({ path, rotateAtBytes: 0, rotation: 'rename', keep: 2 });
    const lines = nextLines(1000);
    await writer.append(lines);
    const identity = await identityOf(path);
    const store = await openCheckpointStore(join(env.dir, 'outage.checkpoint.json'));
    // the broker refuses the third batch of the first poll, as the producer does during a restart
    let sends = 0;
    const outage = createFileTailer(
      path,
      store,
      (batch) =>
        ++sends === 3
          ? Promise.reject(new Error('Connection error: connect ECONNREFUSED'))
          : env.sender.send(batch, 'file').then(() => {}),
      { maxBatchLines: 100, readChunkBytes: 64 * 1024 },
    );
    await expect(outage.poll()).rejects.toThrow(/ECONNREFUSED/);
    const stuckAt = store.get(path)?.offset ?? 0;
    expect(stuckAt).toBeLessThan(Buffer.byteLength(`${lines.join('\n')}\n`));
    // the broker is back: the same tailer goes on from its checkpoint, to the end of the file
    expect(await outage.poll()).toBeGreaterThan(0);
    const more = nextLines(300);
    await writer.append(more);
    expect(await outage.poll()).toBe(300);
    await outage.close();
    const all = [...lines, ...more];
    expect(store.get(path)?.offset).toBe(Buffer.byteLength(`${all.join('\n')}\n`));
    const shipped = new Set(await shippedIdsStartingWith(lineId(identity, 0).replace(/\.0$/, '.')));
    expect([...shipped].sort()).toEqual(idsOf(identity, all).sort());
  });

  it('the polling loop picks up appended lines until stopped', async () => {
    const path = join(env.dir, 'loop.log');
    const writer = createLogWriter({ path, rotateAtBytes: 0, rotation: 'rename', keep: 2 });
    const store = await openCheckpointStore(join(env.dir, 'loop.checkpoint.json'));
    const inputs = startFileInputs(env.sender, store, {
      paths: [path],
      pollIntervalMs: 20,
      maxBatchLines: 500,
      readChunkBytes: 64 * 1024,
    });
    try {
      await writer.append(nextLines(10));
      const identity = await identityOf(path);
      const prefix = lineId(identity, 0).replace(/\.0$/, '.');
      await expect
        .poll(async () => (await shippedIdsStartingWith(prefix)).length, { timeout: 20_000 })
        .toBe(10);
      await writer.append(nextLines(15));
      await expect
        .poll(async () => (await shippedIdsStartingWith(prefix)).length, { timeout: 20_000 })
        .toBe(25);
    } finally {
      await inputs.stop();
    }
    expect(store.get(path)?.offset).toBeGreaterThan(0);
  });
});
