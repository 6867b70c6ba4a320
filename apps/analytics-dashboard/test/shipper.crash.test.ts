import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { open, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { processEnvironment } from '@streamkit/config';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { combinedLine } from '../src/loggen/access-line.ts';
import { createLogWriter } from '../src/loggen/log-writer.ts';
import { createTraffic } from '../src/loggen/traffic.ts';
import { type FileIdentity, identify, lineId } from '../src/shipper/file-identity.ts';
import { createShipperTestEnv, expectedOffsets, type ShipperTestEnv } from './support/shipper-harness.ts';

const infra = inject('infrastructure');
const appDir = fileURLToPath(new URL('..', import.meta.url));
const BATCH = 500;
let env: ShipperTestEnv;
const children: ChildProcess[] = [];

beforeAll(async () => {
  env = await createShipperTestEnv(infra, 'ship-crash');
});
afterAll(async () => {
  // a failed assertion must not leave a shipper process behind
  for (const child of children)
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await env?.close();
});

function startShipper(path: string, checkpointFile: string): ChildProcess {
  const child = spawn(process.execPath, ['src/shipper/main.ts'], {
    cwd: appDir,
    env: {
      ...processEnvironment(),
      KAFKA_BROKERS: infra.kafkaBrokers.join(','),
      KAFKA_TOPIC_PREFIX: env.prefix,
      SHIPPER_FILES: path,
      SHIPPER_CHECKPOINT_FILE: checkpointFile,
      SHIPPER_API_KEY: 'crash-test-key-0123456789',
      SHIPPER_LOG_HOST: 'web-crash.example',
      SHIPPER_MAX_BATCH_LINES: String(BATCH),
      LOGS_PARTITIONS: '2',
      PORT: '0',
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  children.push(child);
  return child;
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
    first.kill('SIGKILL');
    await once(first, 'exit');
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
      second.kill('SIGTERM');
      await once(second, 'exit');
    }
    expect(second.exitCode).toBe(0);
  });
});
