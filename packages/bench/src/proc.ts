/** Memory and CPU of a process from Linux /proc: VmRSS sampled while a step runs, utime+stime around it. */
import { readFile } from 'node:fs/promises';

/** Clock ticks per second of /proc/<pid>/stat times (USER_HZ; 100 on every mainstream Linux). */
export const clockTicksPerSecond = 100;

/** VmRSS in kB from /proc/<pid>/status text, or undefined when absent (a zombie has none). */
export function parseVmRssKb(status: string): number | undefined {
  const match = /^VmRSS:\s+(\d+)\s+kB$/m.exec(status);
  return match?.[1] === undefined ? undefined : Number(match[1]);
}

/** utime + stime in clock ticks from /proc/<pid>/stat text. */
export function parseCpuTicks(stat: string): number {
  // the command name (field 2) may hold spaces and parentheses: count fields after the last ')'
  const afterName = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // afterName[0] is field 3 (state); utime is field 14, stime field 15
  const utime = Number(afterName[11]);
  const stime = Number(afterName[12]);
  if (!Number.isFinite(utime) || !Number.isFinite(stime))
    throw new Error(`unexpected /proc stat line: ${stat}`);
  return utime + stime;
}

export async function readRssKb(pid: number): Promise<number | undefined> {
  try {
    return parseVmRssKb(await readFile(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return undefined; // gone
  }
}

export async function readCpuSeconds(pid: number): Promise<number | undefined> {
  try {
    return parseCpuTicks(await readFile(`/proc/${pid}/stat`, 'utf8')) / clockTicksPerSecond;
  } catch {
    return undefined;
  }
}

export interface ProcessUsage {
  /** Highest VmRSS seen, in MiB; undefined when never sampled. */
  readonly peakRssMb: number | undefined;
  readonly rssSamples: number;
  /** CPU seconds (user + system) used between start and stop. */
  readonly cpuSeconds: number | undefined;
}

export interface UsageSampler {
  stop(): Promise<ProcessUsage>;
}

/** Samples `pid`'s VmRSS every `intervalMs` until stop(); CPU is the delta between start and stop. */
export async function startUsageSampler(pid: number, intervalMs = 250): Promise<UsageSampler> {
  const cpuAtStart = await readCpuSeconds(pid);
  let peakKb: number | undefined;
  let samples = 0;
  const sample = async (): Promise<void> => {
    const kb = await readRssKb(pid);
    if (kb === undefined) return;
    samples += 1;
    peakKb = Math.max(peakKb ?? 0, kb);
  };
  await sample();
  const timer = setInterval(() => void sample(), intervalMs);
  return {
    async stop() {
      clearInterval(timer);
      await sample();
      const cpuAtEnd = await readCpuSeconds(pid);
      return {
        peakRssMb: peakKb === undefined ? undefined : Math.round((peakKb / 1024) * 10) / 10,
        rssSamples: samples,
        cpuSeconds:
          cpuAtStart === undefined || cpuAtEnd === undefined
            ? undefined
            : Math.round((cpuAtEnd - cpuAtStart) * 100) / 100,
      };
    },
  };
}
