import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { env } from '@streamkit/config';
import Fastify from 'fastify';
import { describe, expect, it, vi } from 'vitest';
import {
  createConsoleLogger,
  defineService,
  observability,
  StartupError,
  startService,
} from '../src/index.ts';
import { linesLogger, messages } from './support/service-logs.ts';
import { stopAfterEach } from './support/stop-after-each.ts';

const running = stopAfterEach();

describe('startService', () => {
  it('serves /metrics and /health, then closes resources newest first', async () => {
    const logger = linesLogger();
    const closed: string[] = [];
    const service = defineService({
      name: 'test-sink',
      config: { metricsPort: env.port('METRICS_PORT', { default: 0, allowZero: true }) },
      async start({ acquire, config }) {
        await acquire(
          'pool',
          () => 'pool',
          () => void closed.push('pool'),
        );
        await acquire(
          'consumer',
          () => 'consumer',
          () => void closed.push('consumer'),
        );
        return {
          metrics: { port: config.metricsPort, host: '127.0.0.1', checks: { pool: async () => undefined } },
        };
      },
    });
    const s = await startService(service, { env: {}, logger });
    running.push(s);

    const health = await fetch(`${s.address}/health`);
    expect(health.status).toBe(200);
    expect(await (await fetch(`${s.address}/metrics`)).text()).toContain('service="test-sink"');

    await s.stop();
    await s.done;
    expect(closed).toEqual(['consumer', 'pool']);
    await expect(fetch(`${s.address}/health`)).rejects.toThrow();
  });

  it('logs the configuration with secrets masked, at the level LOG_LEVEL sets', async () => {
    const lines: string[] = [];
    const service = defineService({
      name: 'test-config',
      config: { token: env.secret('TEST_TOKEN') },
      async start() {
        return { app: Fastify(), port: 0, host: '127.0.0.1' };
      },
    });
    const s = await startService(service, {
      env: { TEST_TOKEN: 'very-secret-value', LOG_LEVEL: 'info' },
      logger: createConsoleLogger('info', (line) => lines.push(line)),
    });
    running.push(s);
    expect(s.runtime.logLevel).toBe('info');
    expect(lines.join('\n')).toContain('test-config starting');
    expect(lines.join('\n')).not.toContain('very-secret-value');
  });

  it('a failed step releases what was acquired and names the step', async () => {
    const closed: string[] = [];
    const service = defineService({
      name: 'test-gateway',
      config: {},
      async start({ acquire }) {
        await acquire(
          'producer',
          () => 'p',
          () => void closed.push('producer'),
        );
        await acquire('redis', () => Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:6390')));
        return { app: Fastify(), port: 0 };
      },
    });
    const failure = startService(service, { env: {}, logger: linesLogger() });
    await expect(failure).rejects.toThrow(StartupError);
    await expect(failure).rejects.toThrow(
      'test-gateway failed to start: redis: connect ECONNREFUSED 127.0.0.1:6390',
    );
    expect(closed).toEqual(['producer']);
  });

  it('a watched task that fails stops the service: done rejects, resources are released', async () => {
    const closed: string[] = [];
    let fail: (error: Error) => void = () => undefined;
    const service = defineService({
      name: 'test-detector',
      config: {},
      async start({ acquire, watch, registry }) {
        await acquire(
          'consumer',
          () => 'c',
          () => void closed.push('consumer'),
        );
        watch('consumer', new Promise((_, reject) => (fail = reject)));
        const app = Fastify();
        await app.register(observability, { registry });
        return { app, port: 0, host: '127.0.0.1' };
      },
    });
    const s = await startService(service, { env: {}, logger: linesLogger() });
    running.push(s);
    fail(new Error('partition lost'));
    await expect(s.done).rejects.toThrow('partition lost');
    expect(closed).toEqual(['consumer']);
  });

  it('a watched task with stopWhenDone stops the service when it completes: done resolves', async () => {
    const closed: string[] = [];
    let finish: () => void = () => undefined;
    const service = defineService({
      name: 'test-simulator',
      config: {},
      async start({ acquire, watch }) {
        await acquire(
          'publisher',
          () => 'p',
          () => void closed.push('publisher'),
        );
        watch('simulator', new Promise<void>((resolve) => (finish = resolve)), { stopWhenDone: true });
        return { metrics: { port: 0, host: '127.0.0.1', checks: {} } };
      },
    });
    const s = await startService(service, { env: {}, logger: linesLogger() });
    running.push(s);
    expect(closed).toEqual([]);
    finish();
    await expect(s.done).resolves.toBeUndefined();
    expect(closed).toEqual(['publisher']);
  });

  it('every() runs a task periodically, never two at once, and stops with the service', async () => {
    let runs = 0;
    let concurrent = 0;
    let maxConcurrent = 0;
    const service = defineService({
      name: 'test-retention',
      config: {},
      async start({ every }) {
        every('retention', 5, async () => {
          concurrent += 1;
          maxConcurrent = Math.max(maxConcurrent, concurrent);
          runs += 1;
          await new Promise((resolve) => setImmediate(resolve));
          concurrent -= 1;
          if (runs === 2) throw new Error('database is restarting');
        });
        return { metrics: { port: 0, host: '127.0.0.1', checks: {} } };
      },
    });
    const logger = linesLogger();
    const s = await startService(service, { env: {}, logger });
    await vi.waitFor(() => expect(runs).toBeGreaterThanOrEqual(4), { timeout: 5000 });
    await s.stop();
    const after = runs;
    expect(maxConcurrent).toBe(1);
    expect(messages(logger.lines)).toContain('retention failed, will retry');
    // no further run after stop (a run in progress may finish)
    await new Promise((resolve) => setImmediate(resolve));
    expect(runs).toBeLessThanOrEqual(after + 1);
  });
});

describe('runService (a real process)', () => {
  const main = fileURLToPath(new URL('./fixtures/service-main.ts', import.meta.url));

  async function runFixture(environment: Record<string, string>, signal?: NodeJS.Signals) {
    const child = spawn(process.execPath, [main], {
      env: { PATH: process.env.PATH ?? '', ...environment },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    let signalled = false;
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (signal !== undefined && !signalled && stderr.includes('fixture-service running')) {
        signalled = true;
        child.kill(signal);
      }
    });
    const [code] = (await once(child, 'exit')) as [number | null];
    const lines = stderr.trim().split('\n').filter(Boolean);
    return { code, lines, messages: lines.map((l) => (JSON.parse(l) as { message: string }).message) };
  }

  it('a startup failure prints one line naming what failed and exits 1', async () => {
    const { code, lines, messages } = await runFixture({ FIXTURE_MODE: 'fail-start', LOG_LEVEL: 'error' });
    expect(code).toBe(1);
    expect(lines).toHaveLength(1);
    expect(messages[0]).toBe('fixture-service failed to start: database: connect ECONNREFUSED 127.0.0.1:1');
    expect(lines[0]).not.toContain('    at ');
  });

  it('waits for a dependency that is down, one line per attempt, and a SIGTERM during the wait exits 0', async () => {
    const child = spawn(process.execPath, [main], {
      env: { PATH: process.env.PATH ?? '', FIXTURE_MODE: 'wait-start' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    let signalled = false;
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      // two attempts logged: it waits instead of exiting, then is told to stop
      if (!signalled && stderr.split('database unavailable').length > 2) {
        signalled = true;
        child.kill('SIGTERM');
      }
    });
    const [code] = (await once(child, 'exit')) as [number | null];
    const logged = stderr
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { level: string; message: string; reason?: string; attempt?: number });
    const waits = logged.filter((l) => l.message.startsWith('database unavailable'));
    expect(code).toBe(0);
    expect(waits.length).toBeGreaterThanOrEqual(2);
    expect(waits[0]).toMatchObject({ level: 'warn', reason: 'ECONNREFUSED', attempt: 1 });
    expect(waits[0]?.message).toMatch(/retrying in \d+ ms \(attempt 1\): connect ECONNREFUSED 127.0.0.1:1$/);
    expect(logged.some((l) => l.level === 'error')).toBe(false);
    // what was acquired before the wait is released
    expect(logged.map((l) => l.message)).toContain('closed first resource');
  });

  it('bad configuration prints one line naming every variable and exits 1', async () => {
    const { code, messages } = await runFixture({ FIXTURE_MODE: 'sideways', METRICS_PORT: 'eighty' });
    expect(code).toBe(1);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatch(
      /^fixture-service failed to start: invalid configuration: .*FIXTURE_MODE.*METRICS_PORT/,
    );
  });

  it('SIGTERM stops it gracefully (resources newest first) and exits 0', async () => {
    const { code, messages } = await runFixture(
      { FIXTURE_MODE: 'run', FIXTURE_SECRET: 'hush-hush' },
      'SIGTERM',
    );
    expect(code).toBe(0);
    expect(messages.indexOf('closed second resource')).toBeLessThan(
      messages.indexOf('closed first resource'),
    );
    expect(messages.indexOf('closed first resource')).toBeGreaterThan(-1);
    expect(messages.join('\n')).not.toContain('hush-hush');
  });

  it('a crashed task exits 1 after releasing its resources', async () => {
    const { code, messages } = await runFixture({ FIXTURE_MODE: 'crash' });
    expect(code).toBe(1);
    expect(messages).toContain('fixture-service crashed: partition lost for good');
    expect(messages).toContain('closed first resource');
  });
});
