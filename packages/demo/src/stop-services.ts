import { setTimeout as delay } from 'node:timers/promises';
import type { DemoOutput } from './output.ts';
import { describeExit, type ServiceProcess } from './service-process.ts';

// After SIGKILL the kernel reaps at once; this only bounds the wait for the exit event.
const killGraceMs = 5_000;

/**
 * Stops services one by one in reverse start order: SIGTERM, wait up to `timeoutMs`, then SIGKILL.
 * `force` (a second Ctrl-C) skips the waiting. Returns whether every service stopped on SIGTERM alone.
 */
export async function stopServices(
  services: readonly ServiceProcess[],
  options: { timeoutMs: number; output: DemoOutput; force: Promise<unknown> },
): Promise<boolean> {
  let clean = true;
  let forced = false;
  void options.force.then(() => {
    forced = true;
  });
  for (const service of [...services].reverse()) {
    if (service.hasExited()) continue;
    options.output.info(`stopping ${service.name} (pid ${service.pid})`);
    service.signal('SIGTERM');
    const waitAbort = new AbortController();
    const outcome = await Promise.race([
      service.exited.then((exit) => ({ kind: 'exited' as const, exit })),
      delay(options.timeoutMs, undefined, { signal: waitAbort.signal }).then(
        () => ({ kind: 'timeout' as const }),
        () => ({ kind: 'timeout' as const }),
      ),
      options.force.then(() => ({ kind: 'forced' as const })),
    ]);
    waitAbort.abort();
    if (outcome.kind === 'exited') {
      options.output.info(`${service.name} stopped (${describeExit(outcome.exit)})`);
      continue;
    }
    clean = false;
    options.output.error(
      outcome.kind === 'timeout' || !forced
        ? `${service.name} did not stop within ${options.timeoutMs} ms: killing it`
        : `${service.name}: killing it (second stop request)`,
    );
    service.signal('SIGKILL');
    await Promise.race([service.exited, delay(killGraceMs)]);
  }
  return clean;
}
