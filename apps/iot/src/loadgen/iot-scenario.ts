/**
 * `pnpm loadgen iot`: readings published over MQTT (QoS 1) on the open-loop schedule, as many
 * simulated devices; latency runs from each reading's intended send time to the reading appearing
 * on the telemetry topic in Kafka (through the hub: validation, registry check, produce).
 */
import { createKafka, runConsumer } from '@streamkit/kafka';
import { defineScenario, type ScenarioContext } from '@streamkit/loadgen';
import type { Logger } from '@streamkit/runtime';
import { iotTopics } from '../common/topics.ts';
import { loadDeviceOptions, startLoadDevices } from './load-devices.ts';

const options = {
  ...loadDeviceOptions,
  'topic-prefix': {
    type: 'string',
    default: '',
    description: 'KAFKA_TOPIC_PREFIX of the pipeline under test',
  },
} as const;

export const iotScenario = defineScenario({
  name: 'iot',
  description: 'readings over MQTT through the IoT hub, latency to the reading on iot.telemetry in Kafka',
  options,
  async setup(ctx) {
    const { runId, clock, environment } = ctx;
    const o = ctx.options;
    // device ids carry the run id, so this run's readings are told apart from the simulator's
    const ownPrefix = `lg-${runId}-`;
    const devices = await startLoadDevices(ctx, { idPrefix: ownPrefix, clientId: `loadgen-iot-${runId}` });

    const topics = iotTopics(o['topic-prefix']);
    const kafka = createKafka({
      brokers: environment.kafkaBrokers,
      clientId: `${environment.kafkaClientId}-loadgen-iot-${runId}`,
      logger: loggerFor(ctx),
    });
    const consumer = await runConsumer(kafka, {
      groupId: `loadgen-iot-${runId}`,
      topic: topics.telemetry,
      fromBeginning: false,
      maxBatchSize: 5000,
      fetchMaxWaitMs: 20,
      partitionsConsumedConcurrently: 8,
      async handleBatch(messages) {
        const endNs = clock.nowNs();
        // seq carries the operation number
        for (const { value } of messages)
          if (value.deviceId.startsWith(ownPrefix)) ctx.recordLatency({ operation: value.seq, endNs });
      },
    });
    consumer.done.catch((error: unknown) => {
      ctx.recordError('consumer-crashed');
      ctx.log(`telemetry consumer crashed: ${error instanceof Error ? error.message : String(error)}`);
    });

    ctx.log(`publishing to ${environment.mqttUrl}, reading ${topics.telemetry.name}`);

    return {
      send: (operation, intendedAtNs) => devices.publish(operation, intendedAtNs),
      async teardown() {
        await devices.close();
        await consumer.stop();
      },
    };
  },
});

function loggerFor(ctx: ScenarioContext<unknown>): Logger {
  const line = (level: string) => (message: string) => ctx.log(`kafka ${level}: ${message}`);
  return { error: line('error'), warn: line('warn'), info: () => {}, debug: () => {} };
}
