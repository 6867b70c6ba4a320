import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createServiceProcesses, streamWhileReplicasChange } from '../src/index.ts';

const processes = createServiceProcesses();
afterAll(() => processes.killAll());

describe('streamWhileReplicasChange', () => {
  it('starts A, adds B mid-stream, stops B and kills A, keeping the stream at most two chunks ahead', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'churn-'));
    await writeFile(
      join(dir, 'replica.mjs'),
      `setTimeout(() => console.log('replica consuming'), 100);
       process.on('SIGTERM', () => process.exit(0));
       setInterval(() => {}, 1000);`,
    );
    const events: string[] = [];
    let started = 0;
    let applied = 0;
    const { a, b } = await streamWhileReplicasChange({
      startReplica: () => {
        events.push(`start ${started++ === 0 ? 'A' : 'B'}`);
        return processes.start('replica.mjs', { cwd: dir, env: {} });
      },
      joinedLine: 'replica consuming',
      chunks: 10,
      chunkSize: 5,
      at: { aJoined: 1, bJoins: 3, churn: 6 },
      sendChunk: async (k) => {
        events.push(`chunk ${k}`);
        applied += 5;
      },
      applied: async () => applied,
    });
    expect(events).toEqual([
      'start A',
      'chunk 0',
      'chunk 1',
      'chunk 2',
      'start B',
      ...Array.from({ length: 7 }, (_, i) => `chunk ${i + 3}`),
    ]);
    expect(b.child.exitCode).toBe(0);
    expect(a.child.signalCode).toBe('SIGKILL');
  });

  it('fails, naming the replica and the line, when a replica never joins', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'churn-'));
    await writeFile(join(dir, 'mute.mjs'), 'setInterval(() => {}, 1000);');
    await expect(
      streamWhileReplicasChange({
        startReplica: () => processes.start('mute.mjs', { cwd: dir, env: {} }),
        joinedLine: 'never written',
        chunks: 4,
        chunkSize: 1,
        at: { aJoined: 0, bJoins: 1, churn: 2 },
        sendChunk: async () => {},
        applied: async () => 0,
        timeoutMs: 1_000,
      }),
    ).rejects.toThrow(/replica A writing 'never written'/);
  });
});
