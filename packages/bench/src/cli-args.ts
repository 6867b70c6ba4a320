/** `pnpm bench [pipeline...] [flags]`: the command line, parsed and validated. */
import { parseArgs } from 'node:util';
import { BenchUsageError } from './errors.ts';
import { type BenchSettings, fullSettings, quickSettings, validateSettings } from './settings.ts';

export type BenchCommand =
  | { readonly kind: 'help' }
  | { readonly kind: 'list' }
  | {
      readonly kind: 'run';
      readonly pipelines: readonly string[];
      readonly settings: BenchSettings;
      readonly outDir: string | undefined;
      readonly quick: boolean;
    };

export const benchUsage = `Usage: pnpm bench [pipeline...] [flags]
       pnpm bench --list

Starts each pipeline's services (as pnpm demo does, without the live data generators), ramps the
offered load to find the max sustainable rate under the pipeline's latency objective, runs the
state-size curves, the Kafka baseline (the broker's perf tools), the HTTP floor and the Kafka
client comparison.
Writes results/bench/<time>/ (results.json, BENCHMARKS.md, SVG plots, one loadgen report per step);
with no pipeline named (all of them) also BENCHMARKS.md at the repository root.

Flags:
  --quick             short steps, no bisection, 3 ramp steps at most: a few minutes in all
  --out <dir>         results directory (default results/bench/<time>)
  --duration <s>      measured seconds per step (default 30, quick 3)
  --warmup <s>        warmup seconds per step (default 5, quick 1)
  --drain <s>         seconds to wait for outstanding completions (default 5, quick 3)
  --bisections <n>    bisection steps after the first failing rate (default 2, quick 0)
  --max-steps <n>     ramp steps per scenario at most (default 9, quick 3)
  --start-rate <n>    first offered rate of every ramp (default: each plan's)
  --scenario <name>   run only this scenario of the plans (repeatable; default all)
  --state-rate <n>    offered rate of the state-size runs (default: half the max sustainable rate)
  --no-baseline       skip the Kafka perf-tool baseline
  --no-http-floor     skip the HTTP floor (http-roundtrip ramped at each HTTP scenario's objective)
  --no-state-sizes    skip the state-size runs
  --no-clients        skip the Kafka client comparison
  --list              list the pipelines with a bench plan and their scenarios
  --help, -h          this text

Exit codes: 0 done (failing steps are results, not errors), 1 the run failed, 2 bad usage, 130 interrupted.`;

export function parseBenchArgs(argv: readonly string[]): BenchCommand {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    // node's messages name the flag: "Unknown option '--fast'", "Option '--out <value>' argument missing"
    throw new BenchUsageError((error as Error).message);
  }
  const v = parsed.values;
  if (v.help) return { kind: 'help' };
  if (v.list) return { kind: 'list' };
  const base = v.quick ? quickSettings : fullSettings;
  const number = (flag: string, raw: string | undefined, fallback: number): number => {
    if (raw === undefined) return fallback;
    const value = raw.trim() === '' ? Number.NaN : Number(raw);
    if (!Number.isFinite(value)) throw new BenchUsageError(`--${flag}: expected a number, got "${raw}"`);
    return value;
  };
  const startRate = v['start-rate'] === undefined ? undefined : number('start-rate', v['start-rate'], 0);
  const stateRate = v['state-rate'] === undefined ? undefined : number('state-rate', v['state-rate'], 0);
  const settings = validateSettings({
    ...base,
    timing: {
      durationS: number('duration', v.duration, base.timing.durationS),
      warmupS: number('warmup', v.warmup, base.timing.warmupS),
      drainS: number('drain', v.drain, base.timing.drainS),
    },
    bisections: number('bisections', v.bisections, base.bisections),
    maxSteps: number('max-steps', v['max-steps'], base.maxSteps),
    ...(startRate === undefined ? {} : { startRate }),
    ...(stateRate === undefined ? {} : { stateSizeRate: stateRate }),
    ...(v.scenario === undefined ? {} : { scenarios: v.scenario }),
    baseline: !v['no-baseline'],
    httpFloor: !v['no-http-floor'],
    stateSizes: !v['no-state-sizes'],
    clients: !v['no-clients'],
  });
  if (v.out === '') throw new BenchUsageError('--out needs a directory');
  return { kind: 'run', pipelines: parsed.positionals, settings, outDir: v.out, quick: v.quick === true };
}

function parse(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: {
      quick: { type: 'boolean' },
      out: { type: 'string' },
      duration: { type: 'string' },
      warmup: { type: 'string' },
      drain: { type: 'string' },
      bisections: { type: 'string' },
      'max-steps': { type: 'string' },
      'start-rate': { type: 'string' },
      'state-rate': { type: 'string' },
      scenario: { type: 'string', multiple: true },
      'no-baseline': { type: 'boolean' },
      'no-http-floor': { type: 'boolean' },
      'no-state-sizes': { type: 'boolean' },
      'no-clients': { type: 'boolean' },
      list: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}
