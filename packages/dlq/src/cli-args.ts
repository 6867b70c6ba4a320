import { parseArgs } from 'node:util';
import { parseSince } from './since.ts';

export type DlqAction = 'list' | 'replay';

export interface DlqArgs {
  /** Undefined: list the pipelines. */
  readonly pipeline: string | undefined;
  readonly action: DlqAction;
  /** Only this source topic (with or without the KAFKA_TOPIC_PREFIX, or its `.dlq` name). */
  readonly topic: string | undefined;
  /** Only dead letters written at or after this time (epoch ms). */
  readonly since: number | undefined;
  readonly dryRun: boolean;
  readonly appsRoot: string | undefined;
  readonly help: boolean;
}

export const usage = `usage: pnpm dlq <pipeline> list|replay [--topic <topic>] [--since <time>] [--dry-run]

Shows a pipeline's dead letters (<topic>.dlq of each of its topics), or re-produces them to the
topic they came from after a fix. Each dead letter is replayed once: a second replay skips it.

  list             each dead letter: time, source topic, kind, key, reason; then counts per reason
  replay           re-produce the selected dead letters (headers x-dlq-replay-of, x-dlq-replayed-at)
  --topic <topic>  only dead letters of this source topic (e.g. fraud.alerts)
  --since <time>   only those dead-lettered since an ISO-8601 time or for a duration (90m, 6h, 2d)
  --dry-run        replay: say what would be replayed, produce nothing
  --apps-root <d>  folder whose sub-folders are apps (default: <repo>/apps)
  -h, --help       this text

The broker and topic prefix come from KAFKA_BROKERS (default 127.0.0.1:9092), KAFKA_CLIENT and
KAFKA_TOPIC_PREFIX, as for the services.`;

/** Parses argv (without node and the script); throws TypeError naming what is wrong. */
export function parseDlqArgs(argv: readonly string[], now: number = Date.now()): DlqArgs {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: {
      topic: { type: 'string' },
      since: { type: 'string' },
      'dry-run': { type: 'boolean', default: false },
      'apps-root': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (positionals.length > 2)
    throw new TypeError(
      `expected <pipeline> list|replay, got ${positionals.length} words: ${positionals.join(' ')}`,
    );
  const [pipeline, action = 'list'] = positionals;
  if (action !== 'list' && action !== 'replay')
    throw new TypeError(`the action must be list or replay, got ${JSON.stringify(action)}`);
  if (values['dry-run'] === true && action !== 'replay')
    throw new TypeError('--dry-run only applies to replay');
  if (values.topic !== undefined && values.topic.trim() === '')
    throw new TypeError('--topic needs a topic name');
  return {
    pipeline,
    action,
    topic: values.topic,
    since: values.since === undefined ? undefined : parseSince(values.since, now),
    dryRun: values['dry-run'] === true,
    appsRoot: values['apps-root'],
    help: values.help === true,
  };
}
