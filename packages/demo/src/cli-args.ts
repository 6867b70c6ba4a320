import { parseArgs } from 'node:util';

export interface CliArgs {
  /** The pipeline to run; undefined lists the pipelines. */
  readonly pipeline: string | undefined;
  /** Folder holding the apps (default: the repository's apps/). */
  readonly appsRoot: string | undefined;
  readonly help: boolean;
}

export const usage = `usage: pnpm demo <pipeline> [--apps-root <dir>]

Runs one pipeline's services as local processes against local infrastructure
(Kafka, PostgreSQL, Redis, Mosquitto as the pipeline needs), prints their URLs,
and stops everything on Ctrl-C. Without <pipeline>, lists the pipelines.

  --apps-root <dir>  folder whose sub-folders are apps (default: <repo>/apps)
  -h, --help         this text`;

/** Parses the runner's argv (without node and the script); throws TypeError on bad usage. */
export function parseCliArgs(argv: readonly string[]): CliArgs {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: {
      'apps-root': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (positionals.length > 1) {
    throw new TypeError(`expected one pipeline name, got ${positionals.length}: ${positionals.join(' ')}`);
  }
  const appsRoot = values['apps-root'];
  if (appsRoot !== undefined && appsRoot.trim() === '') throw new TypeError('--apps-root needs a folder');
  return { pipeline: positionals[0], appsRoot, help: values.help === true };
}
