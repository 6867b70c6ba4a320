/** `pnpm chaos <pipeline> [flags]`: the command line, parsed and validated. */
import { parseArgs } from 'node:util';
import { type FaultKind, faultKinds } from './faults.ts';

export class ChaosUsageError extends Error {
  override readonly name = 'ChaosUsageError';
}

export type ChaosCommand =
  | { readonly kind: 'help' }
  | { readonly kind: 'list' }
  | {
      readonly kind: 'run';
      readonly pipeline: string;
      readonly faults: number;
      readonly seed: number;
      readonly durationS: number;
      readonly rate: number | undefined;
      readonly drainS: number;
      readonly kinds: readonly FaultKind[] | undefined;
      readonly outDir: string | undefined;
    };

export const chaosUsage = `Usage: pnpm chaos <pipeline> [flags]
       pnpm chaos --list

Starts a private Kafka broker, PostgreSQL cluster, redis-server and mosquitto (whichever the
pipeline needs) on free ports, the pipeline's services against them, drives load through the
pipeline's loadgen scenario, injects a seeded random sequence of faults, then compares every output
with a reference computed from what the ingress accepted. Prints a table; exit code 1 when anything
was lost or duplicated.

Flags:
  --faults <n>        faults to inject (default 5)
  --seed <n>          seeds the sequence: kinds, times, targets, outages (default 1)
  --duration <s>      seconds of load; faults fall in the first 80 % (default 60)
  --rate <n>          operations per second (default: the pipeline's)
  --drain <s>         after the load, wait this long at most for accepted operations' effects (default 180)
  --kinds <a,b,…>     only these fault kinds: ${faultKinds.join(', ')}
  --out <dir>         where services.log, report.md and result.json go (default results/chaos/<time>-<pipeline>)
  --list              the pipelines with a chaos plan and their fault kinds
  --help, -h          this text

Exit codes: 0 nothing lost or duplicated, 1 something was (or the run failed), 2 bad usage.`;

function parse(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      faults: { type: 'string' },
      seed: { type: 'string' },
      duration: { type: 'string' },
      rate: { type: 'string' },
      drain: { type: 'string' },
      kinds: { type: 'string' },
      out: { type: 'string' },
      list: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}

function integer(flag: string, raw: string | undefined, fallback: number, min: number, max: number): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (raw.trim() === '' || !Number.isInteger(value) || value < min || value > max) {
    throw new ChaosUsageError(`--${flag}: expected a whole number from ${min} to ${max}, got "${raw}"`);
  }
  return value;
}

export function parseChaosArgs(argv: readonly string[]): ChaosCommand {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    throw new ChaosUsageError((error as Error).message);
  }
  const v = parsed.values;
  if (v.help) return { kind: 'help' };
  if (v.list) return { kind: 'list' };
  const [pipeline, ...extra] = parsed.positionals;
  if (pipeline === undefined) throw new ChaosUsageError('name a pipeline (pnpm chaos --list)');
  if (extra.length > 0)
    throw new ChaosUsageError(`one pipeline at a time (got ${parsed.positionals.join(', ')})`);
  let kinds: FaultKind[] | undefined;
  if (v.kinds !== undefined) {
    kinds = v.kinds.split(',').map((k) => k.trim()) as FaultKind[];
    const unknown = kinds.filter((k) => !faultKinds.includes(k));
    if (unknown.length > 0 || kinds.length === 0) {
      throw new ChaosUsageError(
        `--kinds: unknown ${unknown.join(', ') || '(empty)'}; known: ${faultKinds.join(', ')}`,
      );
    }
  }
  if (v.out === '') throw new ChaosUsageError('--out needs a directory');
  return {
    kind: 'run',
    pipeline,
    faults: integer('faults', v.faults, 5, 1, 1000),
    seed: integer('seed', v.seed, 1, 0, 2_147_483_647),
    durationS: integer('duration', v.duration, 60, 5, 86_400),
    rate: v.rate === undefined ? undefined : integer('rate', v.rate, 0, 1, 100_000),
    drainS: integer('drain', v.drain, 180, 1, 3600),
    kinds,
    outDir: v.out,
  };
}
