/**
 * Runs one scenario: setup, the open-loop schedule (warmup + measured window), the drain, teardown.
 * Time comes from the injected clock and ticker, so the whole run can be driven by a fake clock.
 */
import { randomUUID } from 'node:crypto';
import { type Clock, nsPerSecond, type Ticker } from './clock.ts';
import { errorKindOf, ScenarioError } from './errors.ts';
import { createOperationTracker, totalErrors } from './operation-tracker.ts';
import type { OptionSpec, OptionValues } from './options.ts';
import type { ProgressSink, ProgressSnapshot, RunPhase } from './progress.ts';
import { createOpenLoopDriver } from './rate.ts';
import type { RunResult } from './run-result.ts';
import { validateRunSettings } from './run-settings.ts';
import type { LoadgenEnvironment, RunSettings, Scenario, ScenarioContext, ScenarioRun } from './scenario.ts';

export interface RunDependencies {
  readonly clock: Clock;
  readonly ticker: Ticker;
  /** Aborting stops the schedule early; the drain, teardown and result still happen. */
  readonly signal?: AbortSignal;
  readonly log?: (message: string) => void;
  /** Told when the run starts sending and when it is done (a live progress line). */
  readonly progress?: ProgressSink;
  /** Default: random 8 hex digits. */
  readonly runId?: string;
}

export interface RunRequest<S extends OptionSpec> {
  readonly scenario: Scenario<S>;
  readonly options: OptionValues<S>;
  readonly settings: RunSettings;
  readonly environment: LoadgenEnvironment;
}

const tickIntervalMs = 1;
const drainPollMs = 10;
const lateThresholdMs = 10;

export async function runLoad<S extends OptionSpec>(
  request: RunRequest<S>,
  deps: RunDependencies,
): Promise<RunResult> {
  const { scenario, settings } = request;
  validateRunSettings(settings);
  const { clock, ticker } = deps;
  const log = deps.log ?? (() => {});
  const runId = deps.runId ?? randomUUID().slice(0, 8);
  const interrupt = deps.signal ?? new AbortController().signal;

  const warmupOperations = Math.round(settings.rate * settings.warmupS);
  const measuredOperations = Math.round(settings.rate * settings.durationS);
  // the schedule starts after setup; until then intended times are unknown
  let startNs = Number.POSITIVE_INFINITY;
  const intendedAtNs = (operation: number): number => startNs + (operation * nsPerSecond) / settings.rate;
  const tracker = createOperationTracker({
    firstMeasuredOperation: warmupOperations,
    lateThresholdNs: lateThresholdMs * 1e6,
    intendedAtNs,
    nowNs: () => clock.nowNs(),
  });

  const context: ScenarioContext<OptionValues<S>> = {
    runId,
    options: request.options,
    settings,
    environment: request.environment,
    clock,
    signal: interrupt,
    recordLatency: (completion) => tracker.completed(completion),
    recordRetry: (operation) => tracker.retried(operation),
    recordError: (kind, operation) =>
      operation === undefined ? tracker.error(kind) : tracker.failed(operation, kind),
    log: (message) => log(`[${scenario.name}] ${message}`),
  };

  let run: ScenarioRun;
  try {
    run = await scenario.setup(context);
  } catch (error) {
    throw new ScenarioError(scenario.name, `setup failed: ${messageOf(error)}`, {
      cause: error,
      retriable: true,
    });
  }

  const startedAtMs = Date.now();
  startNs = clock.nowNs();
  let phase: RunPhase = warmupOperations > 0 ? 'warmup' : 'measuring';
  let lastMeasuredSendNs = startNs;
  const driver = createOpenLoopDriver(
    {
      rate: settings.rate,
      totalOperations: warmupOperations + measuredOperations,
      startNs,
      maxInFlight: settings.maxInFlight,
    },
    {
      inFlight: () => tracker.inFlight,
      drop: (operation) => tracker.dropped(operation),
      issue(operation, intended, lagNs) {
        tracker.issued(operation, lagNs);
        if (operation >= warmupOperations) lastMeasuredSendNs = intended + lagNs;
        let sending: Promise<void>;
        try {
          sending = run.send(operation, intended);
        } catch (error) {
          sending = Promise.reject(error);
        }
        sending.then(
          () => tracker.accepted(operation),
          (error: unknown) => tracker.failed(operation, errorKindOf(error)),
        );
      },
    },
  );

  const snapshot = (): ProgressSnapshot => {
    const elapsedS = (clock.nowNs() - startNs) / nsPerSecond;
    const warm = tracker.counts('warmup');
    const measured = tracker.counts('measured');
    const sent = warm.sent + measured.sent;
    return {
      phase,
      elapsedS,
      sent,
      completed: warm.completed + measured.completed,
      errors: totalErrors(warm) + totalErrors(measured),
      inFlight: tracker.inFlight,
      sendRate: elapsedS > 0 ? sent / elapsedS : 0,
      p99Ms: tracker.histogram(phase === 'warmup' ? 'warmup' : 'measured').valueAtPercentileMs(99),
    };
  };
  deps.progress?.start(snapshot);

  const stopEarly = (): void => driver.stop();
  interrupt.addEventListener('abort', stopEarly, { once: true });
  if (interrupt.aborted) stopEarly();
  try {
    await waitUntil(ticker, tickIntervalMs, () => {
      driver.tick(clock.nowNs());
      if (phase === 'warmup' && driver.dispatched >= warmupOperations) phase = 'measuring';
      return driver.finished;
    });
    phase = 'draining';
    const drainDeadlineNs = clock.nowNs() + settings.drainS * nsPerSecond;
    await waitUntil(ticker, drainPollMs, () => tracker.inFlight === 0 || clock.nowNs() >= drainDeadlineNs);
  } finally {
    interrupt.removeEventListener('abort', stopEarly);
    deps.progress?.stop();
  }
  tracker.settleAsLost();
  phase = 'done';

  const problems: string[] = [];
  try {
    await run.teardown();
  } catch (error) {
    problems.push(`teardown of ${scenario.name} failed: ${messageOf(error)}`);
  }

  const measuredStartNs = intendedAtNs(warmupOperations);
  return {
    scenario: scenario.name,
    runId,
    settings,
    options: request.options,
    startedAtMs,
    endedAtMs: Date.now(),
    measuredSendSpanS: Math.max(0, lastMeasuredSendNs - measuredStartNs) / nsPerSecond,
    interrupted: interrupt.aborted,
    maxScheduleLagMs: tracker.maxLagNs / 1e6,
    lateThresholdMs,
    warmup: {
      counts: tracker.counts('warmup'),
      histogram: tracker.histogram('warmup'),
      scheduled: warmupOperations,
    },
    measured: {
      counts: tracker.counts('measured'),
      histogram: tracker.histogram('measured'),
      scheduled: measuredOperations,
    },
    problems,
  };
}

/** Calls `done` now and then every `intervalMs` on the ticker until it returns true (or throws). */
function waitUntil(ticker: Ticker, intervalMs: number, done: () => boolean): Promise<void> {
  return new Promise((resolve, reject) => {
    let settled = false;
    let cancel: (() => void) | undefined;
    const check = (): void => {
      if (settled) return;
      try {
        if (!done()) return;
        settled = true;
        resolve();
      } catch (error) {
        settled = true;
        reject(error);
      }
      cancel?.();
    };
    check(); // at once: the first operation is due now, not a tick from now
    if (!settled) cancel = ticker.every(intervalMs, check);
  });
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
