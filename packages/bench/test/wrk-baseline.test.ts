import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { measureWrkBaseline, parseWrkOutput } from '../src/wrk-baseline.ts';

// a real `wrk -t1 -c4 -d2s --latency` run
const sample = `Running 2s test @ http://127.0.0.1:18999/
  1 threads and 4 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency    14.61ms   17.49ms 103.57ms   86.62%
    Req/Sec   412.70    234.62     0.98k    65.00%
  Latency Distribution
     50%  734.00us
     75%   16.75ms
     90%   39.36ms
     99%    1.02s
  823 requests in 2.01s, 2.14MB read
Requests/sec:    409.98
Transfer/sec:      1.07MB
`;

function hasWrk(): boolean {
  try {
    execFileSync('wrk', ['--version'], { stdio: 'ignore' });
    return true;
  } catch (error) {
    // wrk --version exits 1 after printing its version; only a missing binary is ENOENT
    return (error as { code?: unknown }).code !== 'ENOENT';
  }
}

describe('wrk baseline', () => {
  it('reads the rate and the 50th/99th percentiles in their units', () => {
    expect(parseWrkOutput(sample)).toEqual({ requestsPerSecond: 409.98, p50Ms: 0.734, p99Ms: 1020 });
    expect(() => parseWrkOutput('unable to connect to 127.0.0.1:1 Connection refused')).toThrow(
      /no wrk summary/,
    );
  });

  it.skipIf(!hasWrk())(
    'measures the no-op server the HTTP floor uses (skipped where wrk is not installed)',
    async () => {
      const result = await measureWrkBaseline({ bodyBytes: 300, connections: 2, durationS: 1 });
      expect(result).toMatchObject({ connections: 2, durationS: 1 });
      if ('skipped' in result) throw new Error(result.skipped);
      expect(result.requestsPerSecond).toBeGreaterThan(100);
      expect(result.p99Ms).toBeGreaterThanOrEqual(result.p50Ms);
    },
  );
});
