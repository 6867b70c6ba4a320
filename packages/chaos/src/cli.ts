/**
 * `pnpm chaos <pipeline>`: finds the app's chaos plan, runs it against private infrastructure and
 * prints the table. First Ctrl-C: end the load early, stop everything, report; second: exit at once.
 */
import { writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { processEnvironment } from '@streamkit/config';
import { ChaosUsageError, chaosUsage, parseChaosArgs } from './cli-args.ts';
import { discoverChaosPlans } from './discovery.ts';
import { killEverythingNow } from './emergency.ts';
import { renderReport } from './report.ts';
import { runChaos, supportedKinds } from './run-chaos.ts';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

async function main(argv: readonly string[]): Promise<number> {
  let command: ReturnType<typeof parseChaosArgs>;
  try {
    command = parseChaosArgs(argv);
  } catch (error) {
    if (!(error instanceof ChaosUsageError)) throw error;
    console.error(`chaos: ${error.message}\nTry pnpm chaos --help`);
    return 2;
  }
  if (command.kind === 'help') {
    console.log(chaosUsage);
    return 0;
  }
  const discovery = await discoverChaosPlans(join(repoRoot, 'apps'));
  for (const problem of discovery.problems) console.error(`chaos: warning: ${problem}`);
  if (command.kind === 'list') {
    for (const plan of discovery.plans)
      console.log(`${plan.pipeline.padEnd(12)} ${supportedKinds(plan).join(', ')}`);
    return 0;
  }
  const plan = discovery.plans.find((p) => p.pipeline === command.pipeline);
  if (plan === undefined) {
    console.error(
      `chaos: no chaos plan for "${command.pipeline}" (known: ${discovery.plans.map((p) => p.pipeline).join(', ') || 'none'})`,
    );
    return 2;
  }
  const stamp = new Date().toISOString().replaceAll(/[:.]/g, '-');
  const outDir = resolve(command.outDir ?? join(repoRoot, 'results/chaos', `${stamp}-${plan.pipeline}`));
  const interrupt = new AbortController();
  // whatever way the command exits, nothing it started outlives it
  process.on('exit', killEverythingNow);
  process.once('SIGTERM', () => process.exit(143));
  process.once('SIGINT', () => {
    console.error(
      'chaos: interrupted: stopping the load, then everything it started (Ctrl-C again: exit now)',
    );
    interrupt.abort(new Error('interrupted'));
    process.once('SIGINT', () => process.exit(130));
  });
  const rate = command.rate ?? plan.defaultRate;
  const result = await runChaos(
    plan,
    {
      faults: command.faults,
      seed: command.seed,
      durationS: command.durationS,
      rate,
      drainS: command.drainS,
      ...(command.kinds === undefined ? {} : { kinds: command.kinds }),
    },
    {
      repoRoot,
      parentEnv: processEnvironment(),
      outDir,
      command: `pnpm chaos ${argv.join(' ')}`,
      log: (line) => console.error(`chaos: ${line}`),
      signal: interrupt.signal,
    },
  );
  const report = renderReport(result);
  await writeFile(join(outDir, 'report.md'), report);
  await writeFile(join(outDir, 'result.json'), `${JSON.stringify(result, null, 2)}\n`);
  console.log(report);
  return result.failures.length === 0 ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`chaos: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exit(1);
  },
);
