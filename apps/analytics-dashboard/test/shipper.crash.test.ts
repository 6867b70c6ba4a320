import { open, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { createServiceProcesses } from '@streamkit/testkit';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { combinedLine } from '../src/loggen/access-line.ts';
import { createLogWriter } from '../src/loggen/log-writer.ts';
import { createTraffic } from '../src/loggen/traffic.ts';
import { type FileIdentity, identify, lineId } from '../src/shipper/file-identity.ts';
import { createShipperTestEnv, expectedOffsets, type ShipperTestEnv } from './support/shipper-harness.ts';
import { startShipperProcess } from './support/shipper-process.ts';

const infra = inject('infrastructure');
const BATCH = 500;
let env: ShipperTestEnv;
const processes = createServiceProcesses();

beforeAll(async () => {
  env = await createShipperTestEnv(infra, 'ship-crash');
});
afterAll(async () => {
  // a failed assertion must not leave a shipper process behind
  processes.killAll();
  await env?.close();
});

function startShipper(file: string, checkpointFile: string) {
  return startShipperProcess(processes, {
    kafkaBrokers: infra.kafkaBrokers,
    topicPrefix: env.prefix,
    file,
    checkpointFile,
    logHost: 'web-crash.example',
    env: { SHIPPER_MAX_BATCH_LINES: String(BATCH), LOGS_PARTITIONS: '2' },
  });
}

describe('shipper crash recovery', () => {
  it('kill -9 mid-file and restart: every line of the file reaches the topic, none lost, none foreign', async () => {
    const path = join(env.dir, 'access.log');
    const traffic = createTraffic({ seed: 11, hosts: ['web-crash.example'], errorRate: 0.02 });
    const lines = Array.from({ length: 40_000 }, (_, i) =>
      combinedLine(traffic(Date.UTC(2025, 1, 1) + i * 5)),
    );
    await createLogWriter({ path, rotateAtBytes: 0, rotation: 'rename', keep: 1 }).append(lines);
    const handle = await open(path, 'r');
    const identity = (await identify(handle)) as FileIdentity;
    await handle.close();
    const expected = expectedOffsets(lines).map((o) => lineId(identity, o));
    const checkpointFile = join(env.dir, 'checkpoints.json');
    const onTopic = async () =>
      [...(await env.admin.endOffsets(env.topics.logs.name)).values()].reduce((a, b) => a + b, 0);

    const first = startShipper(path, checkpointFile);
    await expect.poll(onTopic, { timeout: 60_000, interval: 20 }).toBeGreaterThan(0);
    await first.stop('SIGKILL');
    const atKill = await onTopic();
    expect(atKill, 'the kill must land mid-file').toBeLessThan(lines.length);

    const second = startShipper(path, checkpointFile);
    try {
      // done when the checkpoint reached the end of the file: everything before it was acknowledged
      const fileSize = (await stat(path)).size;
      const checkpointed = async () =>
        (JSON.parse(await readFile(checkpointFile, 'utf8')) as { files: Record<string, { offset: number }> })
          .files[path]?.offset;
      await expect.poll(checkpointed, { timeout: 60_000, interval: 100 }).toBe(fileSize);
      const ids = (await env.shippedLogs()).map((l) => l.id ?? '');
      const distinct = new Set(ids);
      expect([...distinct].sort()).toEqual([...expected].sort());
      // at-least-once: only what was acknowledged but not yet checkpointed may come twice — the
      // batches in flight at the kill (at most three); the ids let the sink drop them
      expect(ids.length - distinct.size).toBeLessThanOrEqual(3 * BATCH);
    } finally {
      expect((await second.stop('SIGTERM')).code, second.output()).toBe(0);
    }
  });
});
