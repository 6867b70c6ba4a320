/**
 * Where the machine's CPU went during a step, beyond the pipeline's own services: the local
 * infrastructure (Kafka broker, PostgreSQL, Redis, Mosquitto), the load generator (this process:
 * scenarios run in-process) and the whole machine from /proc/stat. With the services' CPU this
 * accounts for a step's cost per operation, and so for the ceiling of the machine.
 */
import { readdir, readFile } from 'node:fs/promises';
import { clockTicksPerSecond, readCpuSeconds } from './proc.ts';

/** How a process of the local infrastructure is recognised: its `comm`, and optionally its command line. */
export interface InfrastructureMatcher {
  readonly name: string;
  readonly comm: RegExp;
  readonly cmdline?: RegExp;
}

export const infrastructureMatchers: readonly InfrastructureMatcher[] = [
  { name: 'kafka broker', comm: /^java$/, cmdline: /kafka\.Kafka\b/ },
  // the postmaster and every backend (a new connection is a new process)
  { name: 'postgres', comm: /^postgres$/ },
  { name: 'redis', comm: /^redis-server$/ },
  { name: 'mosquitto', comm: /^mosquitto$/ },
];

export interface MachineCpu {
  readonly wallSeconds: number;
  readonly cores: number;
  /** CPU seconds of all processes of the machine (non-idle time of every core, /proc/stat). */
  readonly machineSeconds: number | undefined;
  /** CPU seconds of the process running the scenario (the load generator). */
  readonly loadGeneratorSeconds: number;
  /** CPU seconds per infrastructure name (only those found running). */
  readonly infrastructureSeconds: Readonly<Record<string, number>>;
}

export interface MachineCpuSampler {
  stop(): Promise<MachineCpu>;
}

/** Non-idle and total jiffies of the "cpu" line of /proc/stat text. */
export function parseProcStat(text: string): { busy: number; total: number } | undefined {
  const line = text.split('\n').find((l) => l.startsWith('cpu '));
  if (line === undefined) return undefined;
  const fields = line.trim().split(/\s+/).slice(1).map(Number);
  if (fields.length < 4 || fields.some((f) => !Number.isFinite(f))) return undefined;
  // user nice system idle iowait irq softirq steal (guest time is already inside user)
  const idle = (fields[3] ?? 0) + (fields[4] ?? 0);
  const total = fields.slice(0, 8).reduce((a, b) => a + b, 0);
  return { busy: total - idle, total };
}

async function machineBusySeconds(): Promise<number | undefined> {
  try {
    const parsed = parseProcStat(await readFile('/proc/stat', 'utf8'));
    return parsed === undefined ? undefined : parsed.busy / clockTicksPerSecond;
  } catch {
    return undefined; // not Linux
  }
}

/** pid → infrastructure name, for the processes running now. */
export async function findInfrastructure(
  matchers: readonly InfrastructureMatcher[] = infrastructureMatchers,
): Promise<Map<number, string>> {
  const found = new Map<number, string>();
  let entries: string[];
  try {
    entries = await readdir('/proc');
  } catch {
    return found;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    let comm: string;
    try {
      comm = (await readFile(`/proc/${pid}/comm`, 'utf8')).trim();
    } catch {
      continue; // exited meanwhile
    }
    const candidates = matchers.filter((m) => m.comm.test(comm));
    if (candidates.length === 0) continue;
    let cmdline = '';
    if (candidates.some((m) => m.cmdline !== undefined)) {
      cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
    }
    const match = candidates.find(
      (m) => m.cmdline === undefined || m.cmdline.test(cmdline.replaceAll('\0', ' ')),
    );
    if (match !== undefined) found.set(pid, match.name);
  }
  return found;
}

async function cpuOf(pids: Iterable<number>): Promise<Map<number, number>> {
  const out = new Map<number, number>();
  for (const pid of pids) {
    const seconds = await readCpuSeconds(pid);
    if (seconds !== undefined) out.set(pid, seconds);
  }
  return out;
}

/** Starts accounting; stop() returns the CPU used since, by group. */
export async function startMachineCpuSampler(
  cores: number,
  matchers: readonly InfrastructureMatcher[] = infrastructureMatchers,
): Promise<MachineCpuSampler> {
  const startedAt = performance.now();
  const generatorAtStart = process.cpuUsage();
  const machineAtStart = await machineBusySeconds();
  const atStart = await findInfrastructure(matchers);
  const cpuAtStart = await cpuOf(atStart.keys());
  return {
    async stop() {
      const generator = process.cpuUsage(generatorAtStart);
      const machineAtEnd = await machineBusySeconds();
      // processes started during the step (new database backends) count from zero
      const atEnd = await findInfrastructure(matchers);
      const cpuAtEnd = await cpuOf(atEnd.keys());
      const infrastructureSeconds: Record<string, number> = {};
      for (const [pid, name] of atEnd) {
        const end = cpuAtEnd.get(pid);
        if (end === undefined) continue;
        const used = end - (cpuAtStart.get(pid) ?? 0);
        infrastructureSeconds[name] = round2((infrastructureSeconds[name] ?? 0) + Math.max(0, used));
      }
      return {
        wallSeconds: round2((performance.now() - startedAt) / 1000),
        cores,
        machineSeconds:
          machineAtStart === undefined || machineAtEnd === undefined
            ? undefined
            : round2(machineAtEnd - machineAtStart),
        loadGeneratorSeconds: round2((generator.user + generator.system) / 1e6),
        infrastructureSeconds,
      };
    },
  };
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}
