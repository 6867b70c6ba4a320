import { freePort } from '@streamkit/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { type CliProcess, fixtureAppsRoot, killLeftovers, processExists, startCli } from './cli-process.ts';

const running: { cli: CliProcess; services: string[] }[] = [];

function start(args: string[], services: string[], env: Record<string, string> = {}): CliProcess {
  const cli = startCli(args, env);
  running.push({ cli, services });
  return cli;
}

afterEach(() => {
  for (const { cli, services } of running.splice(0)) killLeftovers(cli, services);
});

describe('pnpm demo <pipeline>', () => {
  it('runs hello until SIGINT, serves its URL, then stops the service and exits 0', async () => {
    const port = await freePort();
    const cli = start(['hello'], ['echo'], { STREAMKIT_DEMO_HELLO_PORT: String(port) });
    const url = `http://127.0.0.1:${port}/`;

    await expect.poll(() => cli.output(), { timeout: 15_000 }).toContain('hello is ready');
    expect(cli.output()).toContain(url);
    const response = await fetch(`${url}?greeting=hi`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      pipeline: 'hello',
      service: 'echo',
      query: { greeting: 'hi' },
    });
    const echoPid = cli.servicePid('echo');
    expect(echoPid).toBeTypeOf('number');
    expect(processExists(echoPid as number)).toBe(true);

    cli.child.kill('SIGINT');
    const exit = await cli.exited;

    expect(exit).toEqual({ code: 0, signal: null });
    expect(processExists(echoPid as number)).toBe(false);
    expect(cli.output()).toMatch(/echo stopped/);
    await expect(fetch(url)).rejects.toThrow();
  });

  it('exits non-zero naming the service when a service crashes, and stops the others', async () => {
    const cli = start(['--apps-root', fixtureAppsRoot, 'crashy'], ['steady', 'crasher']);

    const exit = await cli.exited;

    expect(exit.code).toBe(1);
    expect(cli.output()).toMatch(/crasher exited unexpectedly with exit code 3/);
    const steadyPid = cli.servicePid('steady');
    expect(steadyPid).toBeTypeOf('number');
    expect(processExists(steadyPid as number)).toBe(false);
    expect(cli.output()).toMatch(/steady stopped/);
  });

  it('kills a service that ignores SIGTERM after the stop deadline and exits non-zero', async () => {
    const cli = start(['--apps-root', fixtureAppsRoot, 'stubborn'], ['deaf'], {
      STREAMKIT_DEMO_STOP_TIMEOUT_MS: '300',
    });
    await expect.poll(() => cli.output(), { timeout: 15_000 }).toContain('stubborn is ready');
    const deafPid = cli.servicePid('deaf');

    cli.child.kill('SIGINT');
    const exit = await cli.exited;

    expect(exit.code).toBe(1);
    expect(cli.output()).toMatch(/deaf did not stop within 300 ms: killing it/);
    expect(processExists(deafPid as number)).toBe(false);
  });

  it('waits for a one-shot step to complete before the next service, and does not count its exit as a crash', async () => {
    const cli = start(['--apps-root', fixtureAppsRoot, 'bootstrapped'], ['init', 'steady']);

    await expect.poll(() => cli.output(), { timeout: 15_000 }).toContain('fixture note: printed once ready');
    const output = cli.output();
    expect(output.indexOf('init completed')).toBeGreaterThan(output.indexOf('init: done, exit code 0'));
    expect(output.indexOf('started steady')).toBeGreaterThan(output.indexOf('init completed'));
    expect(output).toContain('bootstrapped is ready');

    cli.child.kill('SIGINT');
    const exit = await cli.exited;

    expect(exit).toEqual({ code: 0, signal: null });
    expect(cli.output()).toMatch(/steady stopped/);
    expect(cli.output()).not.toMatch(/stopping init/);
  });

  it('exits non-zero naming the one-shot step when it fails, and starts nothing after it', async () => {
    const cli = start(['--apps-root', fixtureAppsRoot, 'bootstrap-fails'], ['init', 'steady']);

    const exit = await cli.exited;

    expect(exit.code).toBe(1);
    expect(cli.output()).toMatch(/init exited unexpectedly with exit code 4/);
    expect(cli.output()).not.toContain('started steady');
  });

  it('lists the pipelines when run without one', async () => {
    const cli = start(['--apps-root', fixtureAppsRoot], []);

    const exit = await cli.exited;

    expect(exit.code).toBe(0);
    expect(cli.output()).toMatch(/^\s+hello\s+one echo HTTP service/m);
    expect(cli.output()).toMatch(/^\s+crashy\s+fixture: a service that dies/m);
    expect(cli.output()).toMatch(/not loadable:[\s\S]*broken/);
  });

  it('rejects an unknown pipeline with exit code 2 and the list', async () => {
    const cli = start(['--apps-root', fixtureAppsRoot, 'no-such-pipeline'], []);

    const exit = await cli.exited;

    expect(exit.code).toBe(2);
    expect(cli.output()).toContain('unknown pipeline "no-such-pipeline"');
    expect(cli.output()).toMatch(/^\s+hello\s/m);
  });
});
