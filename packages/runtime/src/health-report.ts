import Type, { type Static } from 'typebox';
import { describeError, HealthCheckTimeoutError } from './errors.ts';

/**
 * One dependency probe. Resolves when the dependency is usable, rejects (or throws) when not.
 * `signal` aborts when the check ran out of time: stop the probe if the client allows it.
 */
export type HealthCheck = (signal: AbortSignal) => Promise<void>;

export const CheckResultSchema = Type.Object({
  status: Type.Union([Type.Literal('ok'), Type.Literal('error')]),
  latencyMs: Type.Number({ minimum: 0 }),
  error: Type.Optional(Type.String()),
});

export const HealthReportSchema = Type.Object({
  status: Type.Union([Type.Literal('ok'), Type.Literal('degraded'), Type.Literal('down')]),
  checks: Type.Record(Type.String(), CheckResultSchema),
});

export type CheckResult = Static<typeof CheckResultSchema>;
/** ok: every check passed; degraded: some failed; down: all failed. */
export type HealthReport = Static<typeof HealthReportSchema>;

/** Runs every check concurrently, each bounded by `timeoutMs`, and summarises them. */
export async function runHealthChecks(
  checks: Readonly<Record<string, HealthCheck>>,
  timeoutMs: number,
): Promise<HealthReport> {
  const names = Object.keys(checks);
  const results = await Promise.all(names.map((name) => runOne(checks[name] as HealthCheck, timeoutMs)));
  const failed = results.filter((result) => result.status === 'error').length;
  return {
    status: failed === 0 ? 'ok' : failed === results.length ? 'down' : 'degraded',
    checks: Object.fromEntries(names.map((name, index) => [name, results[index] as CheckResult])),
  };
}

async function runOne(check: HealthCheck, timeoutMs: number): Promise<CheckResult> {
  const started = performance.now();
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = new HealthCheckTimeoutError(timeoutMs);
      controller.abort(error);
      reject(error);
    }, timeoutMs);
  });
  try {
    // The check is called inside the race so a synchronous throw counts as a failure too.
    await Promise.race([Promise.resolve().then(() => check(controller.signal)), timeout]);
    return { status: 'ok', latencyMs: elapsedSince(started) };
  } catch (error) {
    return { status: 'error', latencyMs: elapsedSince(started), error: describeError(error) };
  } finally {
    clearTimeout(timer);
  }
}

function elapsedSince(started: number): number {
  return Math.round((performance.now() - started) * 100) / 100;
}
