// `pnpm dlq <pipeline> list|replay`: a pipeline's dead letters, and their replay after a fix (see README.md).
import { processEnvironment } from '@streamkit/config';
import { runDlqCommand } from './command.ts';

runDlqCommand(process.argv.slice(2), {
  env: processEnvironment(),
  output: { out: (line) => console.log(line), err: (line) => console.error(line) },
}).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exit(1);
  },
);
