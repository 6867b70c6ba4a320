// Process entry of the device simulator: node src/devices/main.ts
import { appendFileSync } from 'node:fs';
import { describeConfig, loadConfig } from '@streamkit/config';
import {
  createConsoleLogger,
  createGracefulShutdown,
  createServiceRegistry,
  startObservabilityServer,
} from '@streamkit/runtime';
import { Counter } from 'prom-client';
import { iotMqttTopics } from '../common/mqtt-topics.ts';
import { devicesEnv } from './config.ts';
import { createFleet } from './fleet.ts';
import { createReadingPublisher } from './publisher.ts';
import { registerFleet } from './registration.ts';
import { runSimulator } from './simulator.ts';

const config = loadConfig(devicesEnv);
const logger = createConsoleLogger('info');
logger.info(`devices starting ${JSON.stringify(describeConfig(devicesEnv, config))}`);

// the fleet starts now: in real time (speedup 1) readings carry the current time
const fleet = createFleet({
  seed: config.seed,
  deviceCount: config.deviceCount,
  deviceIdPrefix: config.deviceIdPrefix,
  intervalMs: config.intervalMs,
  faultRate: config.faultRate,
  ticksPerSlot: config.ticksPerSlot,
  startMs: Math.floor(Date.now() / config.intervalMs) * config.intervalMs,
});

if (config.hubAdminKey === undefined) {
  logger.info(
    `HUB_ADMIN_KEY not set: register the devices yourself, e.g. curl -X PUT -H 'x-api-key: …' ${config.hubUrl}devices/${fleet.devices[0]?.deviceId} (ids ${fleet.devices[0]?.deviceId} … ${fleet.devices.at(-1)?.deviceId})`,
  );
} else {
  const tokens = await registerFleet(fleet, { hubUrl: config.hubUrl, adminKey: config.hubAdminKey });
  logger.info(`registered ${tokens.size} devices with ${config.hubUrl}`);
}

const registry = createServiceRegistry('iot-devices');
const published = new Counter({
  name: 'iot_devices_published_total',
  help: 'Readings published',
  registers: [registry],
});
const faults = new Counter({
  name: 'iot_devices_faults_injected_total',
  help: 'Faults injected, by kind',
  labelNames: ['kind'],
  registers: [registry],
});
const publisher = await createReadingPublisher({
  url: config.mqttUrl,
  topics: iotMqttTopics(config.mqttTopicPrefix),
  clientId: `iot-devices-${process.pid}`,
  ...(config.mqttUsername === undefined ? {} : { username: config.mqttUsername }),
  ...(config.mqttPassword === undefined ? {} : { password: config.mqttPassword }),
});
const observability = await startObservabilityServer({
  port: config.metricsPort,
  registry,
  checks: { mqtt: async () => undefined },
});

const stop = new AbortController();
const shutdown = createGracefulShutdown({ logger });
shutdown.add('observability', () => observability.close());
shutdown.add('publisher', () => publisher.close());
shutdown.add('simulator', async () => stop.abort());

logger.info(
  `devices: ${fleet.devices.length} devices publishing every ${config.intervalMs} ms (speedup ${config.speedup})`,
);
const result = await runSimulator({
  fleet,
  publisher,
  speedup: config.speedup,
  delivery: { lateFraction: config.lateFraction, maxLatenessMs: config.maxLatenessMs },
  ...(config.ticks === undefined ? {} : { toTick: config.ticks }),
  signal: stop.signal,
  onTick: (_tick, n) => published.inc(n),
  onFault: (f) => {
    faults.inc({ kind: f.kind });
    if (config.labelsFile !== undefined) appendFileSync(config.labelsFile, `${JSON.stringify(f)}\n`);
  },
});
logger.info(`devices: published ${result.published} readings in ${result.ticks} ticks`);
if (!stop.signal.aborted) await shutdown.shutdown('done');
