/**
 * `pnpm loadgen <scenario> --rate N --duration S`: parses flags, runs the scenario, prints the
 * summary and writes report.json, report.md and latency.svg under results/loadgen/.
 * Exit codes: 0 done, 1 the run failed, 2 bad usage or configuration, 130 interrupted (the
 * report is still written).
 */
import { join } from 'node:path';
import { ConfigError } from '@streamkit/config';
import { parseCliArgs, reservedFlagNames, usage } from './cli-args.ts';
import { createIntervalTicker, createMonotonicClock } from './clock.ts';
import { loadLoadgenEnvironment } from './environment.ts';
import { LoadgenError, UsageError } from './errors.ts';
import { renderSummary } from './markdown.ts';
import { repoRoot } from './paths.ts';
import { createProgressReporter, type ProgressOutput } from './progress.ts';
import { discoverScenarios } from './registry.ts';
import { buildReport, reportDirectoryName } from './report.ts';
import { writeReportFiles } from './report-files.ts';
import { runLoad } from './runner.ts';
import { builtInScenarios } from './scenarios/index.ts';

export interface CliIo {
  readonly stdout: ProgressOutput;
  readonly stderr: { write(chunk: string): unknown };
  /** Where SIGINT is listened for (the process, or a stand-in in tests). */
  readonly onInterrupt: (listener: () => void) => () => void;
  readonly exit: (code: number) => void;
}

export const exitCodes = { ok: 0, failed: 1, usage: 2, interrupted: 130 } as const;

export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const root = repoRoot();
  const discovery = await discoverScenarios({
    repoRoot: root,
    builtIns: builtInScenarios,
    reservedOptionNames: reservedFlagNames,
  });
  for (const problem of discovery.problems) io.stderr.write(`loadgen: warning: ${problem.message}\n`);

  let command: ReturnType<typeof parseCliArgs>;
  try {
    command = parseCliArgs(argv, discovery.registry);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr.write(`loadgen: ${error.message}\n`);
    return exitCodes.usage;
  }
  if (command.kind === 'help') {
    io.stdout.write(`${usage(discovery.registry, command.scenario)}\n`);
    return exitCodes.ok;
  }
  if (command.kind === 'list') {
    for (const s of discovery.registry.list()) io.stdout.write(`${s.name.padEnd(24)} ${s.description}\n`);
    return exitCodes.ok;
  }

  let environment: ReturnType<typeof loadLoadgenEnvironment>;
  try {
    environment = loadLoadgenEnvironment();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    io.stderr.write(`loadgen: ${error.message}\n`);
    return exitCodes.usage;
  }

  // first Ctrl-C: stop sending, drain, report; second: give up at once
  const interrupt = new AbortController();
  const stopListening = io.onInterrupt(() => {
    if (interrupt.signal.aborted) io.exit(exitCodes.interrupted);
    io.stderr.write('\nloadgen: interrupted, draining and writing the report (Ctrl-C again to quit now)\n');
    interrupt.abort();
  });
  const ticker = createIntervalTicker();
  try {
    const result = await runLoad(
      { scenario: command.scenario, options: command.options, settings: command.settings, environment },
      {
        clock: createMonotonicClock(),
        ticker,
        signal: interrupt.signal,
        log: (line) => io.stderr.write(`${line}\n`),
        progress: createProgressReporter({ out: io.stdout, ticker }),
      },
    );
    const report = buildReport(result, commandLine(argv));
    io.stdout.write(`\n${renderSummary(report)}\n\n`);
    const directory = command.outDir || join(root, 'results', 'loadgen', reportDirectoryName(report));
    const files = await writeReportFiles(report, directory);
    io.stdout.write(`report: ${files.markdown}\n        ${files.json}\n        ${files.svg}\n`);
    if (result.problems.length > 0) return exitCodes.failed;
    return result.interrupted ? exitCodes.interrupted : exitCodes.ok;
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(`loadgen: ${error.message}\n`);
      return exitCodes.usage;
    }
    if (error instanceof LoadgenError) {
      io.stderr.write(`loadgen: ${error.message}${causeText(error)}\n`);
      return exitCodes.failed;
    }
    throw error;
  } finally {
    stopListening();
  }
}

/** The command as typed, quoted where a shell would need it. */
export function commandLine(argv: readonly string[]): string {
  const quote = (arg: string): string =>
    /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", "'\\''")}'`;
  return ['pnpm loadgen', ...argv.map(quote)].join(' ');
}

function causeText(error: Error): string {
  const cause = error.cause;
  if (!(cause instanceof Error) || error.message.includes(cause.message)) return '';
  return `\n  caused by: ${cause.message}`;
}

if (import.meta.main) {
  const io: CliIo = {
    stdout: process.stdout,
    stderr: process.stderr,
    onInterrupt(listener) {
      process.on('SIGINT', listener);
      return () => process.off('SIGINT', listener);
    },
    exit: (code) => process.exit(code),
  };
  main(process.argv.slice(2), io).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(
        `loadgen: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      );
      process.exitCode = exitCodes.failed;
    },
  );
}
