/**
 * Wraps the pipeline's loadgen scenario to record, per operation, whether the ingress accepted it
 * and when its effect was first seen: the accepted set is the chaos run's reference input, the
 * times give each fault's recovery.
 */
import type { Scenario, ScenarioContext } from '@streamkit/loadgen';
import type { AcceptedLoad } from './plan.ts';

export interface LoadTracker {
  readonly scenario: Scenario;
  /** Valid once the scenario's setup ran. */
  snapshot(): AcceptedLoad;
  /** Operations accepted between the two times (ms since the epoch), with their first effect time. */
  acceptedBetween(fromMs: number, toMs: number): { operation: number; completedAtMs: number | undefined }[];
  /** Resolves with the time (ms since the epoch) of the first send. */
  readonly firstSend: Promise<number>;
  /** Accepted operations whose effect was not seen yet. */
  outstanding(): number;
  /** The first operation accepted at or after `fromMs`. */
  firstAcceptedAfter(fromMs: number): { operation: number; completedAtMs: number | undefined } | undefined;
}

export function trackLoad(inner: Scenario): LoadTracker {
  let runId = '';
  const accepted = new Set<number>();
  const refused = new Set<number>();
  const acceptedAt: { operation: number; atMs: number }[] = [];
  const completedAt = new Map<number, number>();
  let markFirstSend: (atMs: number) => void = () => {};
  const firstSend = new Promise<number>((resolve) => {
    markFirstSend = resolve;
  });

  const scenario: Scenario = {
    ...inner,
    async setup(ctx) {
      runId = ctx.runId;
      const wrapped: ScenarioContext<typeof ctx.options> = {
        runId: ctx.runId,
        options: ctx.options,
        settings: ctx.settings,
        environment: ctx.environment,
        clock: ctx.clock,
        signal: ctx.signal,
        recordLatency(completion) {
          if (!completedAt.has(completion.operation)) completedAt.set(completion.operation, Date.now());
          ctx.recordLatency(completion);
        },
        recordRetry: (operation) => ctx.recordRetry(operation),
        recordError: (kind, operation) => ctx.recordError(kind, operation),
        log: (message) => ctx.log(message),
      };
      const run = await inner.setup(wrapped);
      return {
        async send(operation, intendedAtNs) {
          if (operation === 0) markFirstSend(Date.now());
          try {
            await run.send(operation, intendedAtNs);
          } catch (error) {
            refused.add(operation);
            throw error;
          }
          accepted.add(operation);
          acceptedAt.push({ operation, atMs: Date.now() });
        },
        teardown: () => run.teardown(),
      };
    },
  };
  const withCompletion = (operation: number) => ({ operation, completedAtMs: completedAt.get(operation) });
  return {
    scenario,
    snapshot: () => ({ runId, accepted, refused }),
    firstSend,
    outstanding: () => [...accepted].filter((operation) => !completedAt.has(operation)).length,
    acceptedBetween: (fromMs, toMs) =>
      acceptedAt.filter((a) => a.atMs >= fromMs && a.atMs <= toMs).map((a) => withCompletion(a.operation)),
    firstAcceptedAfter(fromMs) {
      const found = acceptedAt.find((a) => a.atMs >= fromMs);
      return found === undefined ? undefined : withCompletion(found.operation);
    },
  };
}
