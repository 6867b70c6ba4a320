/**
 * A native baseline beside the HTTP floor: `wrk` (Debian's package, C, closed loop) POSTing the same
 * body to the same no-op server. The distance between its rate and the floor's is what the load
 * generator itself costs; its latency is closed-loop (a request waits for the previous answer on its
 * connection), so it reads lower than an open-loop p99 at the same rate.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startHttpSinkServer } from '@streamkit/loadgen';
import { BenchError } from './errors.ts';

const run = promisify(execFile);

export interface WrkResult {
  readonly connections: number;
  readonly durationS: number;
  readonly requestsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
}

export type WrkBaseline = WrkResult | { readonly skipped: string };

const unitsMs: Record<string, number> = { us: 0.001, ms: 1, s: 1000, m: 60_000 };

/** The rate and the 50th/99th percentiles of `wrk --latency` output. */
export function parseWrkOutput(output: string): Omit<WrkResult, 'connections' | 'durationS'> {
  const rate = /^Requests\/sec:\s+([\d.]+)/m.exec(output)?.[1];
  const percentile = (p: string): number | undefined => {
    const m = new RegExp(String.raw`^\s+${p}%\s+([\d.]+)(us|ms|s|m)\s*$`, 'm').exec(output);
    return m?.[1] === undefined || m[2] === undefined
      ? undefined
      : Number(m[1]) * (unitsMs[m[2]] ?? Number.NaN);
  };
  const p50Ms = percentile('50');
  const p99Ms = percentile('99');
  if (rate === undefined || p50Ms === undefined || p99Ms === undefined)
    throw new BenchError(
      `no wrk summary (Requests/sec and a latency distribution) in: ${output.slice(-400)}`,
      {
        retriable: false,
      },
    );
  return { requestsPerSecond: Number(rate), p50Ms, p99Ms };
}

export async function measureWrkBaseline(settings: {
  readonly bodyBytes: number;
  readonly connections: number;
  readonly durationS: number;
}): Promise<WrkBaseline> {
  const dir = await mkdtemp(join(tmpdir(), 'streamkit-wrk-'));
  const sink = await startHttpSinkServer();
  try {
    const body = JSON.stringify({
      runId: 'wrk',
      operation: 0,
      filler: 'x'.repeat(Math.max(0, settings.bodyBytes - 60)),
    });
    const script = join(dir, 'post.lua');
    await writeFile(
      script,
      `wrk.method = "POST"\nwrk.body = ${JSON.stringify(body)}\nwrk.headers["Content-Type"] = "application/json"\n`,
    );
    let stdout: string;
    try {
      ({ stdout } = await run(
        'wrk',
        [
          '-t1',
          `-c${settings.connections}`,
          `-d${settings.durationS}s`,
          '--latency',
          '-s',
          script,
          `http://127.0.0.1:${sink.port}/`,
        ],
        { timeout: (settings.durationS + 30) * 1000 },
      ));
    } catch (error) {
      if ((error as { code?: unknown }).code === 'ENOENT')
        return { skipped: 'wrk is not installed (apt-get install wrk)' };
      throw new BenchError(`wrk failed: ${(error as Error).message}`, { cause: error, retriable: true });
    }
    return { connections: settings.connections, durationS: settings.durationS, ...parseWrkOutput(stdout) };
  } finally {
    await sink.stop();
    await rm(dir, { recursive: true, force: true });
  }
}
