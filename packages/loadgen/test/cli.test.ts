import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { processEnvironment } from '@streamkit/config';
import { waitFor } from '@streamkit/testkit';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { LoadReport } from '../src/report.ts';

const cli = fileURLToPath(new URL('../src/cli.ts', import.meta.url));

interface Running {
  readonly child: ChildProcess;
  readonly stdout: () => string;
  readonly stderr: () => string;
  readonly exitCode: Promise<number | null>;
}

function start(args: string[], env: Record<string, string | undefined> = {}): Running {
  const child = spawn(process.execPath, [cli, ...args], {
    env: processEnvironment(env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const exitCode = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return { child, stdout: () => out, stderr: () => err, exitCode };
}

describe('loadgen CLI (a real process)', () => {
  const { kafkaBrokers } = inject('infrastructure');
  const env = { KAFKA_BROKERS: kafkaBrokers.join(',') };
  let outRoot = '';
  beforeAll(async () => {
    outRoot = await mkdtemp(join(tmpdir(), 'loadgen-cli-'));
  });
  afterAll(async () => {
    if (outRoot) await rm(outRoot, { recursive: true, force: true });
  });

  it('exits 2 naming the bad flag and the expected form', async () => {
    const run = start(['kafka-roundtrip', '--rate', 'abc'], env);
    expect(await run.exitCode).toBe(2);
    expect(run.stderr()).toContain('loadgen: --rate: expected a number >= 0.001, got "abc"');
  });

  it('exits 2 naming a malformed environment variable', async () => {
    const run = start(['kafka-roundtrip', '--duration', '1'], { KAFKA_BROKERS: 'no-port-here' });
    expect(await run.exitCode).toBe(2);
    expect(run.stderr()).toMatch(/KAFKA_BROKERS: expected .*host:port/);
  });

  it('lists the scenarios', async () => {
    const run = start(['--list'], env);
    expect(await run.exitCode).toBe(0);
    expect(run.stdout()).toMatch(/^kafka-roundtrip\s+produce to a fresh topic/m);
  });

  it('runs a scenario, prints the summary and writes the three report files', async () => {
    const out = join(outRoot, 'complete');
    const run = start(['kafka-roundtrip', '--rate', '100', '--duration', '1', '--out', out], env);
    expect(await run.exitCode, run.stderr()).toBe(0);
    expect(run.stdout()).toContain('kafka-roundtrip — 100/s for 1 s');
    expect(run.stdout()).toContain(`report: ${join(out, 'report.md')}`);
    const report = JSON.parse(await readFile(join(out, 'report.json'), 'utf8')) as LoadReport;
    expect(report.counts).toMatchObject({
      scheduled: 100,
      sent: 100,
      completed: 100,
      errorsTotal: 0,
      lost: 0,
    });
    expect(report.commandLine).toBe(`pnpm loadgen kafka-roundtrip --rate 100 --duration 1 --out ${out}`);
    expect((await stat(join(out, 'latency.svg'))).size).toBeGreaterThan(1000);
    expect(await readFile(join(out, 'report.md'), 'utf8')).toContain('# Load test: kafka-roundtrip');
  });

  it('stops early on SIGINT, still writes the report, and exits 130', async () => {
    const out = join(outRoot, 'interrupted');
    const run = start(['kafka-roundtrip', '--rate', '100', '--duration', '60', '--out', out], env);
    await waitFor(() => run.stderr().includes('[kafka-roundtrip] topic'), {
      timeoutMs: 30_000,
      message: 'setup',
    });
    run.child.kill('SIGINT');
    expect(await run.exitCode, run.stderr()).toBe(130);
    expect(run.stderr()).toContain('interrupted, draining and writing the report');
    const report = JSON.parse(await readFile(join(out, 'report.json'), 'utf8')) as LoadReport;
    expect(report.interrupted).toBe(true);
    expect(report.counts.sent).toBeLessThan(report.counts.scheduled);
    expect(report.counts.completed).toBe(report.counts.sent);
  });
});
