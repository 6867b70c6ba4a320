import { type EnvSource, kafkaEnv, loadConfig, topicPrefixEnv } from '@streamkit/config';
import {
  createAdmin,
  createKafka,
  type DeadLetter,
  readDeadLetters,
  replayDeadLetters,
} from '@streamkit/kafka';
import { createConsoleLogger, describeError } from '@streamkit/runtime';
import { dlqTopicName } from '@streamkit/schemas';
import { type DlqArgs, parseDlqArgs, usage } from './cli-args.ts';
import { formatDeadLetters } from './list-format.ts';
import { defaultAppsRoot, discoverDlqPipelines } from './pipelines.ts';

/** Where the command writes: results to `out`, problems and client warnings to `err`. */
export interface DlqOutput {
  out(line: string): void;
  err(line: string): void;
}

const dlqEnv = {
  ...kafkaEnv,
  ...topicPrefixEnv,
};

const EXIT_USAGE = 2;

/** `pnpm dlq …`: returns the exit code (0 done, 1 failed, 2 bad usage). */
export async function runDlqCommand(
  argv: readonly string[],
  options: { readonly env?: EnvSource; readonly output: DlqOutput; readonly now?: number },
): Promise<number> {
  const { output } = options;
  let args: DlqArgs;
  try {
    args = parseDlqArgs(argv, options.now);
  } catch (error) {
    output.err(`${describeError(error)}\n\n${usage}`);
    return EXIT_USAGE;
  }
  if (args.help) {
    output.out(usage);
    return 0;
  }
  const pipelines = await discoverDlqPipelines(args.appsRoot ?? defaultAppsRoot());
  const names = pipelines.map((p) => p.sources.pipeline);
  const found = pipelines.find((p) => p.sources.pipeline === args.pipeline);
  if (found === undefined) {
    if (args.pipeline !== undefined)
      output.err(`unknown pipeline "${args.pipeline}"; pipelines: ${names.join(', ')}`);
    else output.out(`${usage}\n\npipelines: ${names.join(', ')}`);
    return args.pipeline === undefined ? 0 : EXIT_USAGE;
  }
  const config = loadConfig(dlqEnv, options.env);
  const sources = found.sources.sourceTopics(config.topicPrefix);
  const chosen =
    args.topic === undefined
      ? sources
      : sources.filter((s) => matchesTopic(s, args.topic as string, config.topicPrefix));
  if (chosen.length === 0) {
    output.err(`--topic ${args.topic} is not a topic of ${args.pipeline}; its topics: ${sources.join(', ')}`);
    return EXIT_USAGE;
  }

  const kafka = createKafka({
    brokers: config.kafkaBrokers,
    client: config.kafkaClient,
    clientId: `${config.kafkaClientId}-dlq`,
    // errors only: kafkajs warns about the replay producer's bounded retries on every run
    logger: createConsoleLogger('error', (line) => output.err(line)),
  });
  try {
    const admin = await createAdmin(kafka);
    const existing = new Set(await admin.listTopics().finally(() => admin.disconnect()));
    const dlqs = chosen.map(dlqTopicName).filter((dlq) => {
      if (!existing.has(dlq)) output.out(`${dlq}: no such topic (nothing dead-lettered yet, or not created)`);
      return existing.has(dlq);
    });
    const since = args.since;
    const selected = (l: DeadLetter) => since === undefined || l.timestamp >= since;
    if (args.action === 'list') {
      const letters: DeadLetter[] = [];
      for (const dlq of dlqs) letters.push(...(await readDeadLetters(kafka, dlq)).filter(selected));
      const window = since === undefined ? '' : ` since ${new Date(since).toISOString()}`;
      output.out(`${args.pipeline}: dead letters in ${dlqs.join(', ') || '(no DLQ topic)'}${window}`);
      for (const line of formatDeadLetters(letters)) output.out(line);
      return 0;
    }
    for (const dlq of dlqs) {
      const report = await replayDeadLetters(kafka, dlq, {
        select: selected,
        sourceTopics: new Set(sources),
        dryRun: args.dryRun,
        onProgress: (done, total) => output.out(`${dlq}: replayed ${done}/${total}`),
      });
      const targets = [...new Set(report.replayed.map((l) => l.sourceTopic))].join(', ') || '-';
      output.out(
        `${dlq}: ${args.dryRun ? 'would replay' : 'replayed'} ${report.replayed.length} to ${targets} ` +
          `(${report.selected} selected, ${report.alreadyReplayed} replayed before, ` +
          `${report.notReplayable.length} without a source topic of ${args.pipeline})`,
      );
    }
    return 0;
  } catch (error) {
    output.err(`dlq ${args.action} failed: ${describeError(error)}`);
    return 1;
  }
}

/** `--topic` names a source topic with or without the prefix, or its DLQ. */
function matchesTopic(source: string, wanted: string, prefix: string): boolean {
  const name = wanted.endsWith('.dlq') ? wanted.slice(0, -'.dlq'.length) : wanted;
  return source === name || source === `${prefix}${name}`;
}
