// `pnpm dlq`: the command, and its parts for tests and other tools.
export { type DlqAction, type DlqArgs, parseDlqArgs, usage } from './cli-args.ts';
export { type DlqOutput, runDlqCommand } from './command.ts';
export { formatDeadLetters } from './list-format.ts';
export { type DeclaredPipeline, defaultAppsRoot, discoverDlqPipelines } from './pipelines.ts';
export { parseSince } from './since.ts';
