/**
 * `pnpm bench [pipeline...]`: discovers the apps' bench plans, demo pipelines and loadgen
 * scenarios, runs the bench and writes the reports. Progress goes to stderr, one line per step.
 * First Ctrl-C: stop the current step, stop the services, write what was measured; second: kill and exit.
 */

import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError, processEnvironment } from '@streamkit/config';
import { discoverPipelines } from '@streamkit/demo';
import { builtInScenarios, discoverScenarios, loadLoadgenEnvironment } from '@streamkit/loadgen';
import { runBench } from './bench-run.ts';
import { benchUsage, parseBenchArgs } from './cli-args.ts';
import { platformaticClientSelectable } from './client-support.ts';
import { discoverPlans } from './discovery.ts';
import { BenchUsageError } from './errors.ts';
import { writeRootReport } from './root-report.ts';
import type { RunningServices } from './services.ts';

export interface BenchIo {
  readonly stdout: { write(chunk: string): unknown };
  readonly stderr: { write(chunk: string): unknown };
  readonly onInterrupt: (listener: () => void) => () => void;
  readonly exit: (code: number) => void;
}

export const exitCodes = { ok: 0, failed: 1, usage: 2, interrupted: 130 } as const;

export function repoRoot(): string {
  return fileURLToPath(new URL('../../../', import.meta.url));
}

export async function main(argv: readonly string[], io: BenchIo): Promise<number> {
  let command: ReturnType<typeof parseBenchArgs>;
  try {
    command = parseBenchArgs(argv);
  } catch (error) {
    if (!(error instanceof BenchUsageError)) throw error;
    io.stderr.write(`bench: ${error.message}\n${'Try pnpm bench --help'}\n`);
    return exitCodes.usage;
  }
  if (command.kind === 'help') {
    io.stdout.write(`${benchUsage}\n`);
    return exitCodes.ok;
  }
  const root = repoRoot();
  const appsRoot = join(root, 'apps');
  const planDiscovery = await discoverPlans(appsRoot);
  for (const problem of planDiscovery.problems) io.stderr.write(`bench: warning: ${problem}\n`);
  if (command.kind === 'list') {
    for (const plan of planDiscovery.plans) {
      io.stdout.write(
        `${plan.pipeline.padEnd(16)} ${plan.scenarios.map((s) => `${s.scenario} (${s.objective.text})`).join(', ')}\n`,
      );
    }
    return exitCodes.ok;
  }
  const known = planDiscovery.plans.map((p) => p.pipeline);
  const unknown = command.pipelines.filter((name) => !known.includes(name));
  if (unknown.length > 0) {
    io.stderr.write(`bench: unknown pipeline ${unknown.join(', ')} (known: ${known.join(', ')})\n`);
    return exitCodes.usage;
  }
  const selected =
    command.pipelines.length === 0
      ? planDiscovery.plans
      : planDiscovery.plans.filter((p) => command.pipelines.includes(p.pipeline));

  let environment: ReturnType<typeof loadLoadgenEnvironment>;
  try {
    environment = loadLoadgenEnvironment();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    io.stderr.write(`bench: ${error.message}\n`);
    return exitCodes.usage;
  }
  const scenarios = await discoverScenarios({ repoRoot: root, builtIns: builtInScenarios });
  for (const problem of scenarios.problems) io.stderr.write(`bench: warning: ${problem.message}\n`);
  const demo = await discoverPipelines({ appsRoot, builtins: [] });
  for (const failure of demo.failures) io.stderr.write(`bench: warning: ${failure.message}\n`);

  const stamp = new Date()
    .toISOString()
    .replace(/\.\d+Z$/, 'Z')
    .replaceAll(':', '-');
  const outDir = command.outDir ?? join(root, 'results', 'bench', stamp);
  const runId = Math.random().toString(16).slice(2, 10);

  const interrupt = new AbortController();
  let running: RunningServices | undefined;
  const stopListening = io.onInterrupt(() => {
    if (interrupt.signal.aborted) {
      for (const p of running?.processes ?? []) p.signal('SIGKILL');
      io.exit(exitCodes.interrupted);
      return;
    }
    io.stderr.write(
      '\nbench: interrupted: stopping the step and the services, writing what was measured (Ctrl-C again to quit now)\n',
    );
    interrupt.abort();
  });
  try {
    const output = await runBench({
      plans: selected,
      pipelines: demo.pipelines.map((d) => d.pipeline),
      registry: scenarios.registry,
      environment,
      settings: command.settings,
      parentEnv: processEnvironment(),
      repoRoot: root,
      outDir,
      runId,
      command: ['pnpm bench', ...argv].join(' '),
      signal: interrupt.signal,
      log: (line) => io.stderr.write(`${line}\n`),
      onServices: (services) => {
        running = services;
      },
      clientSelectable: await platformaticClientSelectable(),
    });
    const allRan = selected.length === planDiscovery.plans.length && !interrupt.signal.aborted;
    if (allRan) {
      const rootFile = await writeRootReport(root, outDir, output.results, (line) =>
        io.stderr.write(`${line}\n`),
      );
      io.stdout.write(`wrote ${rootFile}\n`);
    } else {
      io.stdout.write(
        'BENCHMARKS.md at the root left as it was: only a full run of every pipeline writes it\n',
      );
    }
    io.stdout.write(`results: ${output.files.markdown}\n         ${output.files.json}\n`);
    return interrupt.signal.aborted ? exitCodes.interrupted : exitCodes.ok;
  } catch (error) {
    io.stderr.write(`bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return exitCodes.failed;
  } finally {
    stopListening();
  }
}

if (import.meta.main) {
  main(process.argv.slice(2), {
    stdout: process.stdout,
    stderr: process.stderr,
    onInterrupt(listener) {
      process.on('SIGINT', listener);
      process.on('SIGTERM', listener);
      return () => {
        process.off('SIGINT', listener);
        process.off('SIGTERM', listener);
      };
    },
    exit: (code) => process.exit(code),
  }).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(
        `bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      );
      process.exitCode = exitCodes.failed;
    },
  );
}
