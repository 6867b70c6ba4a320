import { EventEmitter } from 'node:events';
import type { DependencyCondition, ServiceSpec } from '../compose/types.ts';
import type { Container } from './container.ts';
import { HealthMonitor, type HealthStatus } from './health-monitor.ts';

export interface ExitRecord {
  readonly code: number;
  /** ms after the run started */
  readonly afterMs: number;
  readonly willRestart: boolean;
}

interface RunnerEventMap {
  started: [run: number];
  health: [status: HealthStatus, afterMs: number];
  exit: [exit: ExitRecord];
  restarting: [delayMs: number];
}

// Docker's restart delay: 100 ms, doubled after each restart up to a minute, back to 100 ms once a run
// lasted 10 s.
const FIRST_DELAY_MS = 100;
const MAX_DELAY_MS = 60_000;
const RESET_AFTER_MS = 10_000;

/**
 * One compose service's container through its life: started, probed (HealthMonitor), restarted
 * after an exit as its `restart:` policy says (with Docker's delays), stopped like `docker stop`.
 * Emits started / health / exit / restarting; `condition()` answers a dependant's `depends_on`.
 */
export class ServiceRunner extends EventEmitter<RunnerEventMap> {
  readonly spec: ServiceSpec;
  readonly container: Container;
  runs = 0;
  health: HealthMonitor | undefined;
  /** How long after its start the container was first healthy. */
  healthyAfterMs: number | undefined;
  readonly exits: ExitRecord[] = [];
  private state: 'created' | 'running' | 'restarting' | 'exited' = 'created';
  private stopping = false;
  private wakeRestart: (() => void) | undefined;
  private loop: Promise<void> | undefined;

  constructor(spec: ServiceSpec, container: Container) {
    super();
    this.spec = spec;
    this.container = container;
  }

  get running(): boolean {
    return this.state === 'running';
  }

  get healthStatus(): HealthStatus | undefined {
    return this.health?.status;
  }

  start(): void {
    this.loop ??= this.supervise();
  }

  /** `docker stop` (SIGTERM, SIGKILL after stop_grace_period); true when SIGKILL was needed. */
  async stop(): Promise<boolean> {
    this.stopping = true;
    this.wakeRestart?.();
    this.health?.stop();
    const killed = await this.container.stop(this.spec.stopGracePeriodMs);
    await this.loop;
    return killed;
  }

  /** Settles when `condition` holds for this service, or rejects when it can no longer hold. */
  condition(condition: DependencyCondition): Promise<void> {
    return new Promise((resolve, reject) => {
      const done = (error?: Error) => {
        this.off('started', onStarted);
        this.off('health', onHealth);
        this.off('exit', onExit);
        if (error === undefined) resolve();
        else reject(error);
      };
      const onStarted = () => {
        if (condition === 'service_started') done();
      };
      const onHealth = (status: HealthStatus) => {
        if (condition !== 'service_healthy') return;
        if (status === 'healthy') done();
        else if (status === 'unhealthy') done(new Error(`${this.spec.name} is unhealthy`));
      };
      const onExit = (exit: ExitRecord) => {
        if (condition === 'service_completed_successfully' && exit.code === 0) done();
        else if (!exit.willRestart)
          done(
            new Error(
              `${this.spec.name} exited with code ${exit.code}${condition === 'service_healthy' ? ' before it was healthy' : ''}`,
            ),
          );
      };
      if (
        condition === 'service_healthy' &&
        (this.spec.healthcheck === undefined || this.spec.healthcheck.test[0] === 'NONE')
      )
        return done(new Error(`${this.spec.name} has no healthcheck, so service_healthy can never hold`));
      if (condition === 'service_started' && this.runs > 0) return done();
      if (condition === 'service_healthy' && this.health?.status === 'healthy') return done();
      if (
        condition === 'service_completed_successfully' &&
        this.state === 'exited' &&
        this.exits.at(-1)?.code === 0
      )
        return done();
      this.on('started', onStarted);
      this.on('health', onHealth);
      this.on('exit', onExit);
    });
  }

  private async supervise(): Promise<void> {
    let delay = FIRST_DELAY_MS;
    let retries = 0;
    while (!this.stopping) {
      this.runs++;
      const startedAt = Date.now();
      const main = this.container.start();
      this.state = 'running';
      this.emit('started', this.runs);
      const check = this.spec.healthcheck;
      if (check !== undefined && check.test[0] !== 'NONE') {
        this.health = new HealthMonitor(
          check,
          (argv, t) => this.container.exec(argv, t),
          startedAt,
          (status) => {
            if (status === 'healthy') this.healthyAfterMs ??= Date.now() - startedAt;
            this.emit('health', status, Date.now() - startedAt);
          },
        );
        void this.health.run();
      }
      const code = await main.exited;
      this.health?.stop();
      if (this.stopping) break;
      const policy = this.spec.restart;
      const willRestart =
        policy.kind === 'always' ||
        policy.kind === 'unless-stopped' ||
        (policy.kind === 'on-failure' &&
          code !== 0 &&
          (policy.maxRetries === undefined || retries < policy.maxRetries));
      const exit = { code, afterMs: Date.now() - startedAt, willRestart };
      this.exits.push(exit);
      this.state = willRestart ? 'restarting' : 'exited';
      this.emit('exit', exit);
      if (!willRestart) break;
      retries++;
      if (exit.afterMs >= RESET_AFTER_MS) delay = FIRST_DELAY_MS;
      this.emit('restarting', delay);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, delay);
        this.wakeRestart = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      delay = Math.min(delay * 2, MAX_DELAY_MS);
    }
    this.state = 'exited';
  }
}
