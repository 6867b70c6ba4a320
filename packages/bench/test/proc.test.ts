import { describe, expect, it } from 'vitest';
import { parseCpuTicks, parseVmRssKb, readCpuSeconds, startUsageSampler } from '../src/proc.ts';

describe('/proc parsing', () => {
  it('reads VmRSS from a status file', () => {
    const status = 'Name:\tnode\nVmPeak:\t 1200000 kB\nVmRSS:\t  181234 kB\nThreads:\t11\n';
    expect(parseVmRssKb(status)).toBe(181234);
    expect(parseVmRssKb('Name:\tzombie\nState:\tZ (zombie)\n')).toBeUndefined();
  });

  it('sums utime and stime of a stat line, even with spaces and parentheses in the name', () => {
    const stat =
      '4242 (node (main) x) S 1 4242 4242 0 -1 4194560 9000 0 0 0 1234 567 0 0 20 0 11 0 100 1000 200';
    expect(parseCpuTicks(stat)).toBe(1234 + 567);
  });

  it('samples this very process', async () => {
    const sampler = await startUsageSampler(process.pid, 10);
    let x = 0;
    for (let i = 0; i < 2e6; i++) x += Math.sqrt(i);
    expect(x).toBeGreaterThan(0);
    const usage = await sampler.stop();
    expect(usage.peakRssMb).toBeGreaterThan(10);
    expect(usage.rssSamples).toBeGreaterThanOrEqual(2);
    expect(usage.cpuSeconds).toBeGreaterThanOrEqual(0);
    expect(await readCpuSeconds(process.pid)).toBeGreaterThan(0);
  });
});
