/**
 * The publishing half both IoT scenarios share (`iot` measures to Kafka, `iot-lake` to the lake):
 * this run's devices registered with the hub, and one reading per operation published over MQTT
 * (QoS 1) with the operation number as its `seq`, so whichever end a scenario watches can tell it.
 */
import { env, loadConfig } from '@streamkit/config';
import type { ScenarioContext } from '@streamkit/loadgen';
import { iotMqttTopics } from '../common/mqtt-topics.ts';
import { demoHubAdminKey } from '../demo.ts';
import { createReadingPublisher } from '../devices/publisher.ts';
import { expectHealthyHub, registerLoadDevices } from './hub-client.ts';
import { loadReading } from './load-reading.ts';
import { startPublisherPool } from './publisher-pool.ts';

/** The flags of the publishing half; each scenario adds its own. */
export const loadDeviceOptions = {
  'hub-url': {
    type: 'string',
    default: 'http://127.0.0.1:8091',
    description: 'the IoT hub (device registration)',
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
    description: 'simulated devices, readings round-robin (the processor state size: 1k, 10k, 100k)',
  },
  'max-unacked': {
    type: 'int',
    default: 5000,
    min: 1,
    max: 65_535,
    description: 'MQTT publishes awaiting PUBACK (per publisher process)',
  },
  publishers: {
    type: 'int',
    default: 1,
    min: 1,
    max: 16,
    description:
      'publisher processes: 1 publishes in-process (~10,000/s); N forks N, each its own connection',
  },
} as const;

export interface LoadDeviceSettings {
  readonly 'hub-url': string;
  readonly 'mqtt-topic-prefix': string;
  readonly devices: number;
  readonly 'max-unacked': number;
  readonly publishers: number;
}

export interface LoadDevices {
  /** Every device id of this run starts with it (it carries the run id). */
  readonly idPrefix: string;
  /** Publishes operation `operation`'s reading, timestamped at its intended send time. */
  publish(operation: number, intendedAtNs: number): Promise<void>;
  close(): Promise<void>;
}

/** Registers `devices` ids `<idPrefix><n>` with the hub, then connects the MQTT publisher. */
export async function startLoadDevices(
  ctx: ScenarioContext<LoadDeviceSettings>,
  names: { readonly idPrefix: string; readonly clientId: string },
): Promise<LoadDevices> {
  const { clock, environment } = ctx;
  const o = ctx.options;
  const config = loadConfig({ adminKey: env.secret('HUB_ADMIN_KEY', { optional: true }) });
  if (config.adminKey === undefined) ctx.log('HUB_ADMIN_KEY unset: using the demo key of `pnpm demo iot`');
  await expectHealthyHub(o['hub-url']);

  const { idPrefix } = names;
  const deviceIds = Array.from({ length: o.devices }, (_, i) => `${idPrefix}${i}`);
  await registerLoadDevices(o['hub-url'], config.adminKey ?? demoHubAdminKey, deviceIds);
  ctx.log(`registered ${deviceIds.length} devices with ${o['hub-url']}`);

  if (o.publishers > 1) return forkedDevices(ctx, idPrefix, names.clientId);
  const publisher = await createReadingPublisher({
    url: environment.mqttUrl,
    topics: iotMqttTopics(o['mqtt-topic-prefix']),
    clientId: names.clientId,
    maxInFlight: o['max-unacked'],
  });
  return {
    idPrefix,
    publish: (operation, intendedAtNs) =>
      publisher.publish(
        loadReading(
          deviceIds[operation % deviceIds.length] ?? idPrefix,
          operation,
          clock.epochMsAt(intendedAtNs),
        ),
      ),
    close: () => publisher.close(),
  };
}

/** The readings published by `--publishers` forked processes; their CPU is logged at close. */
async function forkedDevices(
  ctx: ScenarioContext<LoadDeviceSettings>,
  idPrefix: string,
  clientId: string,
): Promise<LoadDevices> {
  const o = ctx.options;
  const pool = await startPublisherPool(o.publishers, {
    mqttUrl: ctx.environment.mqttUrl,
    mqttTopicPrefix: o['mqtt-topic-prefix'],
    clientIdPrefix: clientId,
    idPrefix,
    devices: o.devices,
    maxUnacked: o['max-unacked'],
  });
  const ownCpuAtStart = process.cpuUsage();
  ctx.log(`publishing from ${o.publishers} forked publisher processes`);
  return {
    idPrefix,
    // accepted once handed to its worker: a worker's failures are counted at close
    publish: async (operation, intendedAtNs) => pool.publish(operation, ctx.clock.epochMsAt(intendedAtNs)),
    async close() {
      const summary = await pool.close();
      const own = process.cpuUsage(ownCpuAtStart);
      const perReading = (ms: number) => (summary.published > 0 ? ms / summary.published : 0).toFixed(4);
      const ownMs = (own.user + own.system) / 1000;
      ctx.log(
        `publishers: ${summary.workers} processes published ${summary.published} readings with ` +
          `${summary.cpuMs.toFixed(0)} ms CPU (${perReading(summary.cpuMs)} ms/reading); the scenario's ` +
          `own process ${ownMs.toFixed(0)} ms (${perReading(ownMs)} ms/reading, its Kafka consumer included)`,
      );
      if (summary.failed > 0) {
        for (let i = 0; i < summary.failed; i++) ctx.recordError('publish-failed');
        ctx.log(`publishers: ${summary.failed} publishes failed, first: ${summary.firstFailure}`);
      }
    },
  };
}
