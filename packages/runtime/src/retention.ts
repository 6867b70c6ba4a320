import { Counter, Gauge, type Registry } from 'prom-client';
import { SettingsError } from './errors.ts';
import type { Logger } from './logger.ts';
import type { ServiceContext } from './service.ts';

/** What one prune removed, per family (rows, keys or files: the family's README says which). */
export type Removed = Readonly<Record<string, number>>;

export interface RetentionMetrics {
  /** `streamkit_retention_removed_total{family}`: rows, keys or files removed by retention. */
  readonly removed: Counter<'family'>;
  /** When a prune last finished (unix seconds): an alert on its age catches a prune that keeps failing. */
  readonly lastSuccess: Gauge;
}

const REMOVED = 'streamkit_retention_removed_total';
const LAST_SUCCESS = 'streamkit_retention_last_success_timestamp_seconds';

/** The retention metrics of a registry, registered on first use. */
export function retentionMetrics(registry: Registry): RetentionMetrics {
  const removed = registry.getSingleMetric(REMOVED) as Counter<'family'> | undefined;
  const lastSuccess = registry.getSingleMetric(LAST_SUCCESS) as Gauge | undefined;
  return {
    removed:
      removed ??
      new Counter({
        name: REMOVED,
        help: 'Rows, keys or files removed by retention, by family',
        labelNames: ['family'],
        registers: [registry],
      }),
    lastSuccess:
      lastSuccess ??
      new Gauge({ name: LAST_SUCCESS, help: 'When a retention prune last finished', registers: [registry] }),
  };
}

/** Counts a finished prune and logs one line with what it removed per family. */
export function reportPrune(
  { registry, logger }: { readonly registry: Registry; readonly logger: Logger },
  removed: Removed,
  elapsedMs: number,
): void {
  const metrics = retentionMetrics(registry);
  for (const [family, n] of Object.entries(removed)) metrics.removed.inc({ family }, n);
  metrics.lastSuccess.set(Date.now() / 1000);
  logger.info('retention pruned', { ...removed, ms: Math.round(elapsedMs) });
}

export interface RetentionSchedule {
  /** Between two prunes (the first runs one interval after the start). */
  readonly intervalMs: number;
  /**
   * Removes what expired; `undefined` when it did not run because another replica is pruning.
   * `signal` aborts at shutdown: stop at the next step (a batch, a partition) and return.
   */
  readonly prune: (signal: AbortSignal) => Promise<Removed | undefined>;
}

/** The scheduled prune of a service. */
export interface RetentionTask {
  /**
   * Aborts the run in flight, waits for it and starts no other. Called at shutdown by the runtime;
   * call it earlier where something closes the prune's pool before the runtime gets there.
   */
  stop(): Promise<void>;
}

/**
 * Runs a service's prune every `intervalMs` (never two at once; a failure is logged and retried at
 * the next interval), counts what each run removed and logs one line per run. At shutdown the run
 * in flight is aborted and awaited before the resources acquired earlier (its pool) close.
 */
export async function scheduleRetention(
  context: Pick<ServiceContext<unknown>, 'acquire' | 'every' | 'logger' | 'registry'>,
  schedule: RetentionSchedule,
): Promise<RetentionTask> {
  if (!Number.isInteger(schedule.intervalMs) || schedule.intervalMs < 1)
    throw new SettingsError('retention', `intervalMs must be a positive integer, got ${schedule.intervalMs}`);
  retentionMetrics(context.registry); // the series exist before the first prune
  const shutdown = new AbortController();
  let running: Promise<unknown> = Promise.resolve();
  const task: RetentionTask = {
    stop() {
      shutdown.abort();
      return running.then(
        () => undefined,
        () => undefined, // its failure was logged already
      );
    },
  };
  await context.acquire(
    'retention',
    () => task,
    (t) => t.stop(),
  );
  context.every('retention', schedule.intervalMs, () => {
    if (shutdown.signal.aborted) return Promise.resolve();
    running = (async () => {
      const started = performance.now();
      const removed = await schedule.prune(shutdown.signal);
      if (removed === undefined) context.logger.info('retention skipped: another replica is pruning');
      else reportPrune(context, removed, performance.now() - started);
    })();
    return running;
  });
  return task;
}
