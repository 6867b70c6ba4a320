// `pnpm loadgen dashboard`: log lines written (to the tailed file, or POST /logs) → on the logs topic.
import { appendFile, mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { env, loadConfig } from '@streamkit/config';
import { createKafka, type Logger, runConsumer } from '@streamkit/kafka';
import { defineScenario, type ScenarioContext } from '@streamkit/loadgen';
import { dashboardTopics } from '../common/topics.ts';
import { demoLoadgenFile, demoShipperApiKey } from '../demo.ts';
import { combinedLine } from '../loggen/access-line.ts';
import { createTraffic } from '../loggen/traffic.ts';
import { createLineBatcher } from './line-batcher.ts';

const options = {
  via: {
    type: 'string',
    default: 'file',
    description: 'file (append to --file, which the shipper tails) or http (POST /logs)',
  },
  file: {
    type: 'string',
    default: demoLoadgenFile,
    description: 'the log file the shipper tails (pnpm demo dashboard tails this one)',
  },
  'shipper-url': {
    type: 'string',
    default: 'http://127.0.0.1:8093',
    description: 'the shipper, for --via http',
  },
  'topic-prefix': {
    type: 'string',
    default: '',
    description: 'KAFKA_TOPIC_PREFIX of the pipeline under test',
  },
  'flush-ms': {
    type: 'int',
    default: 5,
    min: 1,
    max: 1000,
    description: 'lines are written in batches this often',
  },
} as const;

/**
 * Each operation is one access-log line whose path carries the run id and the operation number
 * (`/loadgen/<run>/<n>`); it is complete when that line is read back from the logs topic, i.e.
 * parsed, enriched, validated and acknowledged by Kafka.
 */
export const dashboardScenario = defineScenario({
  name: 'dashboard',
  description: 'access-log lines written to the tailed file (or POST /logs) → parsed lines on logs.http',
  options,
  async setup(ctx) {
    const { runId, clock, environment } = ctx;
    const o = ctx.options;
    if (o.via !== 'file' && o.via !== 'http') throw new Error(`--via must be file or http, got ${o.via}`);
    const config = loadConfig({ apiKey: env.secret('SHIPPER_API_KEY', { optional: true }) });
    const topics = dashboardTopics(o['topic-prefix']);
    const ownPrefix = `/loadgen/${runId.replace(/[^A-Za-z0-9-]/g, '')}/`;
    const kafka = createKafka({
      brokers: environment.kafkaBrokers,
      clientId: `${environment.kafkaClientId}-loadgen`,
      logger: loggerFor(ctx),
    });
    const consumer = await runConsumer(kafka, {
      groupId: `loadgen-dashboard-${runId}`,
      topic: topics.logs,
      fromBeginning: false,
      maxBatchSize: 5000,
      fetchMaxWaitMs: 50,
      async handleBatch(messages) {
        const endNs = clock.nowNs();
        for (const { value } of messages) {
          if (!value.path.startsWith(ownPrefix)) continue;
          ctx.recordLatency({ operation: Number(value.path.slice(ownPrefix.length)), endNs });
        }
      },
    });

    const file = resolve(o.file);
    await mkdir(dirname(file), { recursive: true });
    const apiKey = config.apiKey ?? demoShipperApiKey;
    const write =
      o.via === 'file'
        ? (lines: string[]) => appendFile(file, `${lines.join('\n')}\n`)
        : async (lines: string[]) => {
            const response = await fetch(new URL('/logs', o['shipper-url']), {
              method: 'POST',
              headers: { 'content-type': 'application/x-ndjson', 'x-api-key': apiKey },
              body: lines.join('\n'),
            });
            if (response.status !== 202)
              throw Object.assign(new Error(`HTTP ${response.status}`), { kind: `http-${response.status}` });
          };
    const batcher = createLineBatcher(write, o['flush-ms'], 5000);
    const traffic = createTraffic({ seed: 1, hosts: ['web-load.example'], errorRate: 0.02 });
    ctx.log(`writing to ${o.via === 'file' ? file : o['shipper-url']}, reading ${topics.logs.name}`);

    return {
      send(operation, intendedAtNs) {
        const { query: _ignored, ...rest } = traffic(clock.epochMsAt(intendedAtNs));
        return batcher.add(combinedLine({ ...rest, path: `${ownPrefix}${operation}` }));
      },
      async teardown() {
        await batcher.close();
        await consumer.stop();
      },
    };
  },
});

function loggerFor(ctx: ScenarioContext<unknown>): Logger {
  const line = (level: string) => (message: string) => ctx.log(`kafka ${level}: ${message}`);
  return { error: line('error'), warn: line('warn'), info: () => {}, debug: () => {} };
}
