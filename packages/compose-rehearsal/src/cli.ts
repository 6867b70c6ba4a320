// `pnpm compose:rehearse <profile>…` — see README.md.
import { kafkaEnv, loadConfig, mqttEnv, postgresEnv, processEnvironment, redisEnv } from '@streamkit/config';
import { findRepoRoot } from '@streamkit/testkit';
import { rehearse } from './rehearsal/rehearse.ts';
import { formatReport } from './rehearsal/report.ts';

const usage = `usage: pnpm compose:rehearse <profile>… [--keep]
  profiles: fraud, recommendations, iot, dashboard, dashboard-postgres, dashboard-materialize, observability
  --keep    keep the working directory, the database, topics and keys afterwards
Runs as root (network and mount namespaces, setpriv).`;

const args = process.argv.slice(2);
const profiles = args.filter((a) => !a.startsWith('-'));
const unknownFlags = args.filter((a) => a.startsWith('-') && a !== '--keep');
if (profiles.length === 0 || unknownFlags.length > 0 || args.includes('--help')) {
  console.error(usage);
  process.exit(args.includes('--help') ? 0 : 64);
}
if (process.getuid?.() !== 0) {
  console.error(
    `compose:rehearse needs root: it creates network and mount namespaces and drops to the image's user with setpriv.\n${usage}`,
  );
  process.exit(77);
}

const infra = loadConfig({ ...kafkaEnv, ...postgresEnv, ...redisEnv, ...mqttEnv });
const controller = new AbortController();
process.once('SIGINT', () => controller.abort());
process.once('SIGTERM', () => controller.abort());

try {
  const report = await rehearse({
    repoRoot: findRepoRoot(),
    profiles,
    shellEnvironment: processEnvironment(),
    infra,
    log: (line) => console.log(line),
    keep: args.includes('--keep'),
    signal: controller.signal,
  });
  for (const line of formatReport(report)) console.log(line);
  process.exit(report.passed ? 0 : 1);
} catch (error) {
  // the compose files could not be read as Compose would (a bad profile, a ${VAR:?} unset, …)
  console.error(`compose:rehearse: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
