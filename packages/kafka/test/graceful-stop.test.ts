import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createKafkaTestAdmin, type KafkaTestAdmin } from '@streamkit/testkit';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createProducer, ensureTopics, runConsumer, type TypedProducer } from '../src/index.ts';
import { clientKinds, freshPaymentsTopic, payment, recordingLogger, testKafka } from './helpers.ts';

const { kafkaBrokers } = inject('infrastructure');

describe.each(clientKinds)('graceful stop (%s)', (client) => {
  const kafka = testKafka(kafkaBrokers, recordingLogger(), client);
  const inProcess = freshPaymentsTopic(`stop-${client}`);
  const viaSignal = freshPaymentsTopic(`sigterm-${client}`);
  const workDir = mkdtempSync(join(tmpdir(), 'streamkit-kafka-stop-'));
  let admin: KafkaTestAdmin;
  let producer: TypedProducer;

  beforeAll(async () => {
    await ensureTopics(kafka, [
      { topic: inProcess.name, partitions: 2, withDlq: true },
      { topic: viaSignal.name, partitions: 2, withDlq: true },
    ]);
    admin = await createKafkaTestAdmin(kafkaBrokers);
    producer = await createProducer(kafka);
  });

  afterAll(async () => {
    await producer?.disconnect();
    await admin?.deleteTopics([
      inProcess.name,
      `${inProcess.name}.dlq`,
      viaSignal.name,
      `${viaSignal.name}.dlq`,
    ]);
    await admin?.disconnect();
    rmSync(workDir, { recursive: true, force: true });
  });

  function ids(prefix: string, n: number): string[] {
    return Array.from({ length: n }, (_, i) => payment(`${prefix}-${i % 7}`, i).paymentId).sort();
  }

  it('stop() mid-batch finishes and commits it; the next member takes exactly the rest', async () => {
    const total = 60;
    await producer.send(
      inProcess,
      Array.from({ length: total }, (_, i) => ({ value: payment(`card-${i % 7}`, i) })),
    );
    const groupId = `${inProcess.name}-g`;
    const first: string[] = [];
    let sawAbort = false;
    let inSecondBatch: () => void = () => undefined;
    const secondBatchStarted = new Promise<void>((resolve) => {
      inSecondBatch = resolve;
    });
    let batches = 0;
    const consumer = await runConsumer(kafka, {
      groupId,
      topic: inProcess,
      fromBeginning: true,
      maxBatchSize: 10,
      handleBatch: async (messages, ctx) => {
        if (++batches === 2) {
          inSecondBatch();
          // a slow batch: it only ends once the stop has been requested
          await once(ctx.signal, 'abort');
          sawAbort = ctx.signal.aborted;
        }
        first.push(...messages.map((m) => m.value.paymentId));
      },
    });
    await secondBatchStarted;
    await consumer.stop();
    await consumer.done;
    expect(sawAbort).toBe(true);
    expect(first).toHaveLength(20);
    const committed = await admin.committedOffsets(groupId, inProcess.name);
    expect([...committed.values()].filter((o) => o > 0).reduce((a, b) => a + b, 0)).toBe(20);

    const second: string[] = [];
    const next = await runConsumer(kafka, {
      groupId,
      topic: inProcess,
      fromBeginning: true,
      handleBatch: async (messages) => {
        second.push(...messages.map((m) => m.value.paymentId));
      },
    });
    try {
      await expect.poll(() => second.length, { timeout: 30_000 }).toBe(total - 20);
    } finally {
      await next.stop();
    }
    const all = [...first, ...second].sort();
    expect(new Set(all).size).toBe(all.length);
    expect(all).toEqual(ids('card', total));
  });

  it('SIGTERM to a consumer process mid-stream, then a restart: every record exactly once', async () => {
    const total = 300;
    await producer.send(
      viaSignal,
      Array.from({ length: total }, (_, i) => ({ value: payment(`sig-${i % 7}`, i) })),
    );
    const outFile = join(workDir, 'processed.txt');
    const processed = () =>
      existsSync(outFile) ? readFileSync(outFile, 'utf8').split('\n').filter(Boolean) : [];
    const fixture = fileURLToPath(new URL('./fixtures/consumer-process.ts', import.meta.url));
    const args = JSON.stringify({
      brokers: kafkaBrokers,
      topic: viaSignal.name,
      groupId: `${viaSignal.name}-g`,
      outFile,
      batchDelayMs: 40,
      client,
    });

    async function runUntil(condition: () => boolean): Promise<number | null> {
      const child: ChildProcess = spawn(process.execPath, [fixture, args], {
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      const exited = once(child, 'exit') as Promise<[number | null]>;
      await expect.poll(condition, { timeout: 30_000, interval: 20 }).toBe(true);
      child.kill('SIGTERM');
      const [code] = await exited;
      return code;
    }

    expect(await runUntil(() => processed().length >= 40)).toBe(0);
    const afterFirst = processed().length;
    expect(afterFirst).toBeLessThan(total); // really stopped mid-stream

    expect(await runUntil(() => new Set(processed()).size === total)).toBe(0);
    const all = processed().sort();
    expect(all).toEqual(ids('sig', total)); // nothing lost, nothing twice
  });
});
