import { env } from '@streamkit/config';
import { describe, expect, it, vi } from 'vitest';
import { defineService, startService } from '../src/index.ts';
import { freePort, linesLogger, messages } from './support/service-logs.ts';
import { stopAfterEach } from './support/stop-after-each.ts';

const running = stopAfterEach();

describe('startService waiting for a dependency', () => {
  const refused = () =>
    Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' });

  it('retries a step whose dependency is down with growing pauses, then starts and counts the waits', async () => {
    const logger = linesLogger();
    let attempts = 0;
    const service = defineService({
      name: 'test-waiter',
      config: {},
      async start({ acquire }) {
        await acquire('kafka admin', () => {
          attempts++;
          if (attempts <= 3) throw refused();
          return 'admin';
        });
        return { metrics: { port: 0, host: '127.0.0.1', checks: {} } };
      },
    });
    const s = await startService(service, { env: {}, logger });
    running.push(s);
    expect(attempts).toBe(4);
    const waits = logger.lines
      .map((l) => JSON.parse(l) as { message: string; reason?: string; attempt?: number })
      .filter((l) => l.message.startsWith('kafka admin unavailable'));
    expect(waits.map((w) => [w.reason, w.attempt])).toEqual([
      ['ECONNREFUSED', 1],
      ['ECONNREFUSED', 2],
      ['ECONNREFUSED', 3],
    ]);
    const pauses = waits.map((w) => Number(/retrying in (\d+) ms/.exec(w.message)?.[1]));
    // equal jitter over 250 ms doubling: each pause lies in [cap/2, cap]
    expect(pauses[0]).toBeGreaterThanOrEqual(125);
    expect(pauses[0]).toBeLessThanOrEqual(250);
    expect(pauses[2]).toBeGreaterThanOrEqual(500);
    expect(pauses[2]).toBeLessThanOrEqual(1000);
    expect(messages(logger.lines)).toContain('kafka admin available after 4 attempts');
    const metrics = await (await fetch(`${s.address}/metrics`)).text();
    expect(metrics).toMatch(
      /streamkit_startup_waits_total\{[^}]*step="kafka admin"[^}]*reason="ECONNREFUSED"[^}]*\} 3/,
    );
  });

  it('answers /health with 503 naming the step and the reason while it waits, on the port it will serve', async () => {
    const port = await freePort();
    let databaseUp = false;
    const service = defineService({
      name: 'test-waiting-health',
      config: { metricsPort: env.port('METRICS_PORT', { allowZero: true }) },
      async start({ acquire, config }) {
        await acquire('database', () => {
          if (!databaseUp) throw refused();
          return 'pool';
        });
        return { metrics: { port: config.metricsPort, host: '127.0.0.1', checks: {} } };
      },
    });
    const started = startService(service, { env: { METRICS_PORT: String(port) }, logger: linesLogger() });
    const url = `http://127.0.0.1:${port}`;
    await vi.waitFor(
      async () => {
        const health = await fetch(`${url}/health`);
        expect(health.status).toBe(503);
        const body = (await health.json()) as { checks: Record<string, { error?: string }> };
        expect(body.checks.starting?.error).toMatch(/waiting for database: ECONNREFUSED/);
      },
      { timeout: 10_000, interval: 50 },
    );
    expect(await (await fetch(`${url}/metrics`)).text()).toMatch(
      /streamkit_startup_waits_total\{[^}]*step="database"/,
    );
    databaseUp = true;
    const s = await started;
    running.push(s);
    expect(s.port).toBe(port);
    expect((await fetch(`${url}/health`)).status).toBe(200);
  });

  it('fails at once on a failure that is not an outage, and after STARTUP_WAIT_MS on one that is', async () => {
    let attempts = 0;
    const failing = (error: () => Error) =>
      defineService({
        name: 'test-waiter',
        config: {},
        async start({ acquire }) {
          await acquire('postgres', () => {
            attempts++;
            throw error();
          });
          return { metrics: { port: 0, host: '127.0.0.1', checks: {} } };
        },
      });
    await expect(
      startService(
        failing(() => new Error('password authentication failed')),
        {
          env: {},
          logger: linesLogger(),
        },
      ),
    ).rejects.toThrow('test-waiter failed to start: postgres: password authentication failed');
    expect(attempts).toBe(1);
    attempts = 0;
    await expect(
      startService(failing(refused), { env: { STARTUP_WAIT_MS: '600' }, logger: linesLogger() }),
    ).rejects.toThrow('test-waiter failed to start: postgres: connect ECONNREFUSED 127.0.0.1:9');
    expect(attempts).toBeGreaterThanOrEqual(2);
  });

  it('ends the wait when its signal aborts, releasing what was acquired', async () => {
    const closed: string[] = [];
    const logger = linesLogger();
    const abort = new AbortController();
    const service = defineService({
      name: 'test-waiter',
      config: {},
      async start({ acquire }) {
        await acquire(
          'pool',
          () => 'pool',
          () => void closed.push('pool'),
        );
        await acquire('redis', () => {
          // told to stop while it waits for Redis
          if (messages(logger.lines).some((m) => m.startsWith('redis unavailable'))) abort.abort();
          throw refused();
        });
        return { metrics: { port: 0, host: '127.0.0.1', checks: {} } };
      },
    });
    await expect(startService(service, { env: {}, logger, signal: abort.signal })).rejects.toThrow(
      /test-waiter failed to start: redis: stopped while waiting/,
    );
    expect(closed).toEqual(['pool']);
  });
});
