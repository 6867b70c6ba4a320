/**
 * N forked publisher processes (publisher-worker.ts) behind one `publish`: operation n goes to
 * worker n mod N, batched per event-loop turn into one IPC message, so the scenario's process
 * spends little per reading and the generator scales past one event loop's ~10,000 publishes/s.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { once } from 'node:events';
import type {
  PublisherWorkerMessage,
  PublisherWorkerReply,
  PublisherWorkerSettings,
} from './publisher-protocol.ts';

const workerModule = new URL('./publisher-worker.ts', import.meta.url);

export interface PublisherPoolSummary {
  readonly workers: number;
  readonly published: number;
  readonly failed: number;
  readonly firstFailure?: string;
  /** The workers' CPU time (user + system), summed. */
  readonly cpuMs: number;
}

export interface PublisherPool {
  /** Hands the reading of `operation` to its worker; sent with the rest of this event-loop turn. */
  publish(operation: number, epochMs: number): void;
  /** Sends what is batched, waits for every worker's PUBACKs and exit; their counts and CPU. */
  close(): Promise<PublisherPoolSummary>;
}

interface Worker {
  readonly child: ChildProcess;
  ops: number[];
  ts: number[];
}

export async function startPublisherPool(
  count: number,
  settings: Omit<PublisherWorkerSettings, 'clientId'> & { readonly clientIdPrefix: string },
): Promise<PublisherPool> {
  const workers: Worker[] = await Promise.all(
    Array.from({ length: count }, async (_, i) => {
      const { clientIdPrefix, ...rest } = settings;
      const workerSettings: PublisherWorkerSettings = { ...rest, clientId: `${clientIdPrefix}-${i}` };
      const child = fork(workerModule, [JSON.stringify(workerSettings)], {
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      });
      await replyOf(child, 'ready');
      return { child, ops: [], ts: [] };
    }),
  );
  let flushScheduled = false;
  const flush = () => {
    flushScheduled = false;
    for (const worker of workers) {
      if (worker.ops.length === 0) continue;
      const message: PublisherWorkerMessage = { kind: 'publish', ops: worker.ops, ts: worker.ts };
      worker.child.send(message);
      worker.ops = [];
      worker.ts = [];
    }
  };
  return {
    publish(operation, epochMs) {
      const worker = workers[operation % count] as Worker;
      worker.ops.push(operation);
      worker.ts.push(epochMs);
      if (!flushScheduled) {
        flushScheduled = true;
        setImmediate(flush);
      }
    },
    async close() {
      flush();
      const replies = await Promise.all(
        workers.map(async ({ child }) => {
          const closed = replyOf(child, 'closed');
          child.send({ kind: 'close' } satisfies PublisherWorkerMessage);
          const reply = await closed;
          if (child.exitCode === null && child.signalCode === null) await once(child, 'exit');
          return reply;
        }),
      );
      const firstFailure = replies.find((r) => r.firstFailure !== undefined)?.firstFailure;
      return {
        workers: count,
        published: replies.reduce((sum, r) => sum + r.published, 0),
        failed: replies.reduce((sum, r) => sum + r.failed, 0),
        ...(firstFailure === undefined ? {} : { firstFailure }),
        cpuMs: replies.reduce((sum, r) => sum + r.cpuMs, 0),
      };
    },
  };
}

function replyOf<K extends PublisherWorkerReply['kind']>(
  child: ChildProcess,
  kind: K,
): Promise<Extract<PublisherWorkerReply, { kind: K }>> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: PublisherWorkerReply) => {
      if (message.kind !== kind) return;
      child.off('exit', onExit);
      child.off('message', onMessage);
      resolve(message as Extract<PublisherWorkerReply, { kind: K }>);
    };
    const onExit = (code: number | null, signal: string | null) =>
      reject(new Error(`publisher worker exited (${signal ?? code}) before '${kind}'`));
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}
