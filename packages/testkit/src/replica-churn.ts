import type { ServiceProcess } from './service-processes.ts';
import { waitFor } from './wait-for.ts';

export interface ReplicaChurnOptions {
  /** Starts one more replica of the service, in the same consumer group, as a process. */
  readonly startReplica: () => ServiceProcess;
  /** What a replica writes once it consumes (it joined the group), e.g. `processor consuming`. */
  readonly joinedLine: string;
  /** The input is sent in `chunks` chunks of `chunkSize` records (the last may hold fewer). */
  readonly chunks: number;
  readonly chunkSize: number;
  /** Sends chunk `k`: the records `k * chunkSize` up to `(k + 1) * chunkSize`. */
  readonly sendChunk: (k: number) => Promise<unknown>;
  /** How many records the replicas applied so far, together. */
  readonly applied: () => Promise<number>;
  /**
   * Before which chunk A must have joined, B starts (and joins), and B leaves while A is killed.
   * Default `{ aJoined: 2, bJoins: 4, churn: 8 }` (of 12 chunks).
   */
  readonly at?: { readonly aJoined: number; readonly bJoins: number; readonly churn: number };
  /**
   * How long a replica may take to join, and the replicas to catch up with the backlog. Default
   * 60 s: a child's start takes seconds on a loaded machine (generous, short when all is well).
   */
  readonly timeoutMs?: number;
}

/**
 * The rebalance scenario of every consumer service's test: a replica that stays (the caller's, in
 * the test process) and two processes, A and B. A starts at once; B joins mid-stream, so the group
 * rebalances while records are in flight; then B leaves (SIGTERM, must exit 0) and A is SIGKILLed
 * while that rebalance is under way. The stream keeps going at most two chunks ahead of what is
 * applied, so the replicas change while it runs. Resolves with A (killed) and B (stopped) once every
 * chunk is sent; the caller then waits for the whole input and compares with its reference.
 */
export async function streamWhileReplicasChange(
  options: ReplicaChurnOptions,
): Promise<{ a: ServiceProcess; b: ServiceProcess }> {
  const at = options.at ?? { aJoined: 2, bJoins: 4, churn: 8 };
  const deadline = { timeoutMs: options.timeoutMs ?? 60_000, intervalMs: 50 };
  const joined = (name: string, replica: ServiceProcess) =>
    waitFor(() => replica.output().includes(options.joinedLine), {
      ...deadline,
      message: `replica ${name} writing '${options.joinedLine}' (output: ${replica.output()})`,
    });
  const a = options.startReplica();
  let b: ServiceProcess | undefined;
  for (let k = 0; k < options.chunks; k++) {
    if (k === at.aJoined) await joined('A', a);
    if (k === at.bJoins) {
      b = options.startReplica();
      await joined('B', b);
    }
    if (k === at.churn && b !== undefined) {
      const left = await b.stop('SIGTERM');
      if (left.code !== 0) throw new Error(`replica B left with ${JSON.stringify(left)}: ${b.output()}`);
      const killed = await a.stop('SIGKILL');
      if (killed.signal !== 'SIGKILL')
        throw new Error(`replica A ended with ${JSON.stringify(killed)} before its kill: ${a.output()}`);
    }
    await options.sendChunk(k);
    if (k >= 2) {
      const behind = (k - 1) * options.chunkSize;
      await waitFor(async () => (await options.applied()) >= behind, {
        ...deadline,
        message: `${behind} records applied before chunk ${k + 1}`,
      });
    }
  }
  if (b === undefined)
    throw new Error(`replica B never started: ${options.chunks} chunks, B at ${at.bJoins}`);
  return { a, b };
}
