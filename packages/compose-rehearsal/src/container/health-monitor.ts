import type { Healthcheck } from '../compose/types.ts';
import type { ExecResult } from './container.ts';

export type HealthStatus = 'starting' | 'healthy' | 'unhealthy';

export interface ProbeRecord {
  readonly at: number;
  readonly durationMs: number;
  readonly exitCode: number | null;
  readonly timedOut: boolean;
  readonly output: string;
  /** The failure fell inside the start period, so it did not count. */
  readonly ignored: boolean;
}

/** The command a healthcheck `test` runs: CMD execs its arguments, CMD-SHELL goes through /bin/sh -c. */
export function probeCommand(test: readonly string[]): string[] | undefined {
  if (test[0] === 'CMD') return test.slice(1);
  if (test[0] === 'CMD-SHELL') return ['/bin/sh', '-c', test.slice(1).join(' ')];
  return undefined;
}

/**
 * Docker Engine's health state machine for one container run: `starting` until a probe passes
 * (`healthy`) or `retries` consecutive probes fail (`unhealthy`). Probes run one at a time, each
 * `interval` after the previous one ended — `start_interval` while the container is starting and
 * inside its start period (Engine ≥ 25) — and are killed after `timeout` (a failure). Failures inside
 * the start period do not count while the container has not been healthy yet.
 */
export class HealthMonitor {
  status: HealthStatus = 'starting';
  /** When the container was first healthy (ms since epoch). */
  healthyAt: number | undefined;
  readonly probes: ProbeRecord[] = [];
  private streak = 0;
  private readonly abort = new AbortController();
  private readonly check: Healthcheck;
  private readonly exec: (argv: readonly string[], timeoutMs: number) => Promise<ExecResult>;
  private readonly startedAt: number;
  private readonly onChange: (status: HealthStatus) => void;

  constructor(
    check: Healthcheck,
    exec: (argv: readonly string[], timeoutMs: number) => Promise<ExecResult>,
    startedAt: number,
    onChange: (status: HealthStatus) => void,
  ) {
    this.check = check;
    this.exec = exec;
    this.startedAt = startedAt;
    this.onChange = onChange;
  }

  /** Runs until `stop()`; never rejects. */
  async run(): Promise<void> {
    const argv = probeCommand(this.check.test);
    if (argv === undefined) return;
    while (!this.abort.signal.aborted) {
      const inStartPeriod = () => Date.now() - this.startedAt < this.check.startPeriodMs;
      const wait =
        this.status === 'starting' && inStartPeriod() ? this.check.startIntervalMs : this.check.intervalMs;
      if (!(await pause(wait, this.abort.signal))) return;
      const probeStart = Date.now();
      const startingInPeriod = this.status === 'starting' && inStartPeriod();
      const result = await this.exec(argv, this.check.timeoutMs);
      if (this.abort.signal.aborted) return;
      const passed = result.exitCode === 0;
      this.probes.push({
        at: probeStart,
        durationMs: Date.now() - probeStart,
        exitCode: result.exitCode,
        timedOut: result.timedOut,
        output: result.output.trim(),
        ignored: !passed && startingInPeriod,
      });
      if (this.probes.length > 50) this.probes.shift();
      if (passed) {
        this.streak = 0;
        if (this.status !== 'healthy') {
          this.healthyAt ??= Date.now();
          this.set('healthy');
        }
      } else if (!startingInPeriod) {
        this.streak++;
        if (this.streak >= this.check.retries && this.status !== 'unhealthy') this.set('unhealthy');
      }
    }
  }

  stop(): void {
    this.abort.abort();
  }

  /** The slowest probe so far (ms), for reports: a probe near its timeout fails on a slower machine. */
  slowestProbeMs(): number {
    return Math.max(0, ...this.probes.map((p) => p.durationMs));
  }

  /** The last probe that failed, for reports. */
  lastFailure(): ProbeRecord | undefined {
    return this.probes.findLast((p) => p.exitCode !== 0);
  }

  private set(status: HealthStatus): void {
    this.status = status;
    this.onChange(status);
  }
}

/** Resolves true after `ms`, or false as soon as `signal` aborts. */
function pause(ms: number, signal: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve(false);
    const timer = setTimeout(() => resolve(true), ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        resolve(false);
      },
      { once: true },
    );
  });
}
