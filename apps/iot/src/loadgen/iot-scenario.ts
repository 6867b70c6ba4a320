/**
 * `pnpm loadgen iot`: readings published over MQTT (QoS 1) on the open-loop schedule, as many
 * simulated devices; latency runs from each reading's intended send time to the reading appearing
 * on the telemetry topic in Kafka (through the hub: validation, registry check, produce).
 */
import { env, loadConfig } from '@streamkit/config';
import { createKafka, type Logger, runConsumer } from '@streamkit/kafka';
import { defineScenario, type ScenarioContext } from '@streamkit/loadgen';
import { iotMqttTopics } from '../common/mqtt-topics.ts';
import { iotTopics } from '../common/topics.ts';
import { demoHubAdminKey } from '../demo.ts';
import { createReadingPublisher } from '../devices/publisher.ts';
import { expectHealthyHub, registerLoadDevices } from './hub-client.ts';

const options = {
  'hub-url': {
    type: 'string',
    default: 'http://127.0.0.1:8091',
    description: 'the IoT hub (device registration)',
  },
  'topic-prefix': {
    type: 'string',
    default: '',
    description: 'KAFKA_TOPIC_PREFIX of the pipeline under test',
  },
  'mqtt-topic-prefix': {
    type: 'string',
    default: '',
    description: 'MQTT_TOPIC_PREFIX of the pipeline under test',
  },
  devices: {
    type: 'int',
    default: 1000,
    min: 1,
    max: 100_000,
    description: 'simulated devices (readings round-robin)',
  },
  'max-unacked': {
    type: 'int',
    default: 5000,
    min: 1,
    max: 65_535,
    description: 'MQTT publishes awaiting PUBACK',
  },
} as const;

export const iotScenario = defineScenario({
  name: 'iot',
  description: 'readings over MQTT through the IoT hub, latency to the reading on iot.telemetry in Kafka',
  options,
  async setup(ctx) {
    const { runId, clock, environment } = ctx;
    const o = ctx.options;
    const config = loadConfig({ adminKey: env.secret('HUB_ADMIN_KEY', { optional: true }) });
    if (config.adminKey === undefined) ctx.log('HUB_ADMIN_KEY unset: using the demo key of `pnpm demo iot`');
    await expectHealthyHub(o['hub-url']);

    // device ids carry the run id, so this run's readings are told apart from the simulator's
    const deviceIds = Array.from({ length: o.devices }, (_, i) => `lg-${runId}-${i}`);
    await registerLoadDevices(o['hub-url'], config.adminKey ?? demoHubAdminKey, deviceIds);
    ctx.log(`registered ${deviceIds.length} devices with ${o['hub-url']}`);

    const topics = iotTopics(o['topic-prefix']);
    const ownPrefix = `lg-${runId}-`;
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

    const publisher = await createReadingPublisher({
      url: environment.mqttUrl,
      topics: iotMqttTopics(o['mqtt-topic-prefix']),
      clientId: `loadgen-iot-${runId}`,
      maxInFlight: o['max-unacked'],
    });
    ctx.log(`publishing to ${environment.mqttUrl}, reading ${topics.telemetry.name}`);

    return {
      send: (operation, intendedAtNs) =>
        publisher.publish({
          deviceId: deviceIds[operation % deviceIds.length] ?? ownPrefix,
          ts: new Date(clock.epochMsAt(intendedAtNs)).toISOString(),
          seq: operation,
          metrics: {
            temperature: 20 + (operation % 100) / 10,
            humidity: 45,
            pressure: 1013,
            battery: 80,
            vibration: 1 + (operation % 7) / 10,
          },
        }),
      async teardown() {
        await publisher.close();
        await consumer.stop();
      },
    };
  },
});

function loggerFor(ctx: ScenarioContext<unknown>): Logger {
  const line = (level: string) => (message: string) => ctx.log(`kafka ${level}: ${message}`);
  return { error: line('error'), warn: line('warn'), info: () => {}, debug: () => {} };
}
