/**
 * kafka-roundtrip: the broker and client path alone, as a baseline for the pipelines. Each
 * operation produces one message to a fresh topic; a consumer in its own group reads it back and
 * the latency runs from the message's intended send time to its consumption.
 */
import {
  createAdmin,
  createKafka,
  createProducer,
  type KafkaClientKind,
  runConsumer,
} from '@streamkit/kafka';
import type { Logger } from '@streamkit/runtime';
import { dlqTopicName } from '@streamkit/schemas';
import { defineScenario, type LoadgenEnvironment, type ScenarioContext } from '../scenario.ts';
import { paddingFor, roundtripTopic } from './roundtrip-message.ts';

const options = {
  size: {
    type: 'int',
    default: 200,
    min: 1,
    max: 900_000,
    description: 'bytes of each message (JSON), at least the ~110-byte envelope',
  },
  partitions: { type: 'int', default: 3, min: 1, max: 64, description: 'partitions of the run topic' },
  'linger-ms': {
    type: 'int',
    default: 5,
    min: 0,
    max: 1000,
    description: 'how long the producer lets a batch fill',
  },
  client: {
    type: 'string',
    default: 'env',
    choices: ['env', 'kafkajs', 'platformatic'],
    description: 'Kafka client library behind @streamkit/kafka; env: KAFKA_CLIENT (default kafkajs)',
  },
} as const;

export const kafkaRoundtrip = defineScenario({
  name: 'kafka-roundtrip',
  description: 'produce to a fresh topic and consume back: the broker + client baseline',
  options,
  async setup(ctx) {
    const { runId, environment, clock } = ctx;
    const topicName = `loadgen.roundtrip.${runId}`;
    const topic = roundtripTopic(topicName);
    const client = clientFor(ctx.options.client, environment);
    const kafka = createKafka({
      brokers: environment.kafkaBrokers,
      clientId: `${environment.kafkaClientId}-loadgen-${runId}`,
      logger: loggerFor(ctx),
      client,
    });
    const padding = paddingFor(ctx.options.size, runId);

    const admin = await createAdmin(kafka);
    const release: (() => Promise<void>)[] = [];
    try {
      // retention bounds what an interrupted run leaves behind if teardown never comes
      await admin.ensureTopics([
        { topic: topicName, partitions: ctx.options.partitions, retentionMs: 3_600_000, withDlq: true },
      ]);
      release.push(() => admin.deleteTopics([topicName, dlqTopicName(topicName)]));
      ctx.log(`topic ${topicName} (${ctx.options.partitions} partitions), client ${client}`);

      const consumer = await runConsumer(kafka, {
        groupId: `loadgen-roundtrip-${runId}`,
        topic,
        fromBeginning: true,
        maxBatchSize: 1000,
        partitionsConsumedConcurrently: ctx.options.partitions,
        async handleBatch(messages) {
          const endNs = clock.nowNs();
          for (const { value } of messages) {
            if (value.runId !== runId) continue;
            ctx.recordLatency({ operation: value.operation, startNs: value.intendedAtNs, endNs });
          }
        },
      });
      release.unshift(() => consumer.stop());
      watchConsumer(ctx, consumer.done);

      // a large buffer: the runner's in-flight cap is the one brake of an open-loop run
      const producer = await createProducer(kafka, {
        lingerMs: ctx.options['linger-ms'],
        maxBatchSize: 1000,
        maxBufferedMessages: Math.max(10_000, ctx.settings.maxInFlight),
      });
      release.unshift(() => producer.disconnect());

      return {
        send: (operation, intendedAtNs) =>
          producer.send(topic, [
            { value: { runId, operation, intendedAtNs, sentAtMs: clock.epochMsAt(clock.nowNs()), padding } },
          ]),
        teardown: () => releaseAll(release, admin),
      };
    } catch (error) {
      await releaseAll(release, admin).catch(() => undefined);
      throw error;
    }
  },
});

/** The --client choice; `env` takes KAFKA_CLIENT, which loadLoadgenEnvironment reads with kafkaEnv. */
function clientFor(option: string, environment: LoadgenEnvironment): KafkaClientKind {
  const chosen = option === 'env' ? environment.kafkaClient : option;
  return chosen === 'platformatic' ? 'platformatic' : 'kafkajs';
}

/** Runs every release step even when one fails, then disconnects the admin; rethrows the first failure. */
async function releaseAll(
  release: readonly (() => Promise<void>)[],
  admin: { disconnect(): Promise<void> },
): Promise<void> {
  const failures: unknown[] = [];
  for (const step of release) await step().catch((error: unknown) => failures.push(error));
  await admin.disconnect().catch((error: unknown) => failures.push(error));
  if (failures.length > 0) throw failures[0];
}

/** A crashed consumer completes nothing more: say so at once rather than only as "lost" at the end. */
function watchConsumer(ctx: ScenarioContext<unknown>, done: Promise<void>): void {
  done.catch((error: unknown) => {
    ctx.recordError('consumer-crashed');
    ctx.log(`consumer crashed: ${error instanceof Error ? error.message : String(error)}`);
  });
}

function loggerFor(ctx: ScenarioContext<unknown>): Logger {
  const line = (level: string) => (message: string) => ctx.log(`kafka ${level}: ${message}`);
  return { error: line('error'), warn: line('warn'), info: () => {}, debug: () => {} };
}
