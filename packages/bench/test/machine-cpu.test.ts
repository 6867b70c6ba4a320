import { describe, expect, it } from 'vitest';
import { findInfrastructure, parseProcStat, startMachineCpuSampler } from '../src/machine-cpu.ts';

describe('machine CPU accounting', () => {
  it('reads busy and total jiffies from /proc/stat text (idle and iowait are not busy)', () => {
    const text = 'cpu  100 5 50 1000 20 1 2 3 0 0\ncpu0 50 2 25 500 10 0 1 1 0 0\nintr 1 2\n';
    expect(parseProcStat(text)).toEqual({ busy: 100 + 5 + 50 + 1 + 2 + 3, total: 1181 });
    expect(parseProcStat('intr 1 2\n')).toBeUndefined();
  });

  it('finds running infrastructure by process name and command line', async () => {
    const found = await findInfrastructure([
      { name: 'this test', comm: /^node/, cmdline: new RegExp(String(process.pid)) },
      { name: 'me', comm: /./, cmdline: /vitest/ },
      { name: 'nobody', comm: /^no-such-process-name$/ },
    ]);
    expect([...found.values()]).toContain('me');
    expect([...found.values()]).not.toContain('nobody');
    expect(found.get(process.pid)).toBe('me');
  });

  it('counts the load generator (this process) and the whole machine while work runs', async () => {
    const sampler = await startMachineCpuSampler(2, [{ name: 'me', comm: /./, cmdline: /vitest/ }]);
    let x = 0;
    for (let i = 0; i < 2e7; i++) x += Math.sqrt(i);
    expect(x).toBeGreaterThan(0);
    const cpu = await sampler.stop();
    expect(cpu.loadGeneratorSeconds).toBeGreaterThan(0.01);
    // /proc/stat counts in 10 ms ticks per core, read a moment apart from the process's own counters:
    // the machine total can trail by up to a tick per core at each end
    const tickSlack = 2 * cpu.cores * 0.01 + 1e-9;
    expect(cpu.machineSeconds).toBeGreaterThanOrEqual(cpu.loadGeneratorSeconds - tickSlack);
    expect(cpu.infrastructureSeconds.me).toBeGreaterThan(0);
    expect(cpu.wallSeconds).toBeGreaterThan(0);
    expect(cpu.cores).toBe(2);
  });
});
