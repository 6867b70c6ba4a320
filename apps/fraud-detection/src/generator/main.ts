// The payment generator: `history` writes labelled history to Postgres and exits; `live` streams to
// the gateway until SIGTERM/SIGINT or --count (see README.md). Exits non-zero on any failure.
import { loadConfig } from '@streamkit/config';
import { createPool } from '@streamkit/postgres';
import { createGracefulShutdown, describeError, startService, startupFailureLine } from '@streamkit/runtime';
import { parseGeneratorArgs, USAGE } from './cli-args.ts';
import { generatorConfigSpec } from './config.ts';
import { runHistory } from './run-history.ts';
import { liveGeneratorService } from './service.ts';

const log = (line: string) => console.log(line);
const command = (() => {
  try {
    return parseGeneratorArgs(process.argv.slice(2));
  } catch (error) {
    console.error(describeError(error));
    console.error(USAGE);
    process.exit(2);
  }
})();

if (command.mode === 'history') {
  const pool = createPool(loadConfig(generatorConfigSpec).databaseUrl, { max: 2 });
  try {
    await runHistory(pool, command, log);
  } catch (error) {
    console.error(`generator failed: ${describeError(error)}`);
    process.exitCode = 1;
  } finally {
    await pool.end();
  }
} else {
  // a command that ends by itself: started like every service, stopped when its run is over
  const service = liveGeneratorService(command, log);
  const live = await startService(service).catch((error: unknown) => {
    console.error(startupFailureLine(service.name, error));
    process.exit(1);
  });
  const shutdown = createGracefulShutdown({
    logger: live.logger,
    timeoutMs: live.runtime.shutdownTimeoutMs,
    // keep a failure already recorded (rejected payments) when the shutdown itself went fine
    exit: (code) => {
      if (code !== 0) process.exitCode = code;
    },
  });
  shutdown.add('generator', () => live.stop('finished'));
  const stats = await (live.parts?.finished ?? Promise.reject(new Error('no live sender')));
  log(
    `live: stopped after ${stats.sent} payments (${stats.accepted} accepted, ${stats.rejected} rejected, ${stats.failed} failed)`,
  );
  if (stats.rejected > 0 || stats.failed > 0) process.exitCode = 1;
  await shutdown.shutdown('finished');
}
