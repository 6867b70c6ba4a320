// scheduleRetention: periodic prunes counted in /metrics and logged one line each, skipped runs
// said so, and a shutdown that aborts the run in flight and waits for it before the pool closes.
import { sampleValue } from '@streamkit/testkit';
import { describe, expect, it, vi } from 'vitest';
import {
  createConsoleLogger,
  defineService,
  type Logger,
  type Removed,
  type RunningService,
  scheduleRetention,
  startService,
} from '../src/index.ts';
import { stopAfterEach } from './support/stop-after-each.ts';

const running = stopAfterEach();

function linesLogger(): Logger & { readonly lines: { message: string; [k: string]: unknown }[] } {
  const lines: { message: string }[] = [];
  return Object.assign(
    createConsoleLogger('info', (line) => lines.push(JSON.parse(line))),
    { lines },
  );
}

/** A service whose prune is `prune`; `closed` records the order its resources closed in. */
function retentionService(
  prune: (signal: AbortSignal) => Promise<Removed | undefined>,
  closed: string[] = [],
) {
  return defineService({
    name: 'test-retention',
    config: {},
    async start(context) {
      await context.acquire(
        'pool',
        () => 'pool',
        () => void closed.push('pool'),
      );
      await scheduleRetention(context, { intervalMs: 10, prune });
      return { metrics: { port: 0, host: '127.0.0.1', checks: {} } };
    },
  });
}

async function metricsText(s: RunningService<unknown, unknown>): Promise<string> {
  return (await fetch(`${s.address}/metrics`)).text();
}

describe('scheduleRetention', () => {
  it('counts what each prune removed per family and logs one line per prune', async () => {
    const logger = linesLogger();
    let runs = 0;
    const s = await startService(
      retentionService(async () => {
        runs += 1;
        return runs === 2 ? undefined : { alerts: 3, events: runs };
      }),
      { env: {}, logger },
    );
    running.push(s);
    await vi.waitFor(() => expect(runs).toBeGreaterThanOrEqual(3), { timeout: 5000 });
    await s.stop();
    const pruned = logger.lines.filter((l) => l.message === 'retention pruned');
    expect(pruned.length).toBe(runs - 1);
    expect(pruned[0]).toMatchObject({ alerts: 3, events: 1 });
    expect(logger.lines.map((l) => l.message)).toContain('retention skipped: another replica is pruning');
  });

  it('exposes streamkit_retention_removed_total{family} and the last success time', async () => {
    let runs = 0;
    const s = await startService(
      retentionService(async () => {
        runs += 1;
        return { lake_raw: 2 };
      }),
      { env: {}, logger: linesLogger() },
    );
    running.push(s);
    await vi.waitFor(() => expect(runs).toBeGreaterThanOrEqual(2), { timeout: 5000 });
    await expect
      .poll(async () =>
        sampleValue(await metricsText(s), 'streamkit_retention_removed_total', { family: 'lake_raw' }),
      )
      .toBeGreaterThanOrEqual(4);
    const last = sampleValue(await metricsText(s), 'streamkit_retention_last_success_timestamp_seconds', {});
    expect(last).toBeGreaterThan(Date.now() / 1000 - 60);
  });

  it('at shutdown aborts the prune in flight and waits for it before closing what it uses', async () => {
    const closed: string[] = [];
    let started = false;
    const s = await startService(
      retentionService(async (signal) => {
        started = true;
        await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
        closed.push('prune ended');
        return { alerts: 1 };
      }, closed),
      { env: {}, logger: linesLogger() },
    );
    await vi.waitFor(() => expect(started).toBe(true), { timeout: 5000 });
    await s.stop();
    expect(closed).toEqual(['prune ended', 'pool']);
  });
});
