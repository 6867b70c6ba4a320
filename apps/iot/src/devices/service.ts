import { appendFileSync } from 'node:fs';
import { defineService } from '@streamkit/runtime';
import { Counter } from 'prom-client';
import { iotMqttTopics } from '../common/mqtt-topics.ts';
import { devicesEnv } from './config.ts';
import { createFleet } from './fleet.ts';
import { createReadingPublisher } from './publisher.ts';
import { registerFleet } from './registration.ts';
import { runSimulator } from './simulator.ts';

/**
 * The device simulator: a seeded fleet registered with the hub, publishing readings (with faults
 * and late deliveries) over MQTT until stopped, or for SIM_TICKS ticks.
 */
export const devicesService = defineService({
  name: 'iot-devices',
  config: devicesEnv,
  async start({ config, acquire, watch, logger, registry }) {
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
    const { hubAdminKey } = config;
    if (hubAdminKey === undefined) {
      logger.info(
        `HUB_ADMIN_KEY not set: register the devices yourself, e.g. curl -X PUT -H 'x-api-key: …' ${config.hubUrl}devices/${fleet.devices[0]?.deviceId} (ids ${fleet.devices[0]?.deviceId} … ${fleet.devices.at(-1)?.deviceId})`,
      );
    } else {
      const tokens = await acquire('hub registration', () =>
        registerFleet(fleet, { hubUrl: config.hubUrl, adminKey: hubAdminKey }),
      );
      logger.info(`registered ${tokens.size} devices with ${config.hubUrl}`);
    }

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
    const publisher = await acquire(
      'mqtt publisher',
      () =>
        createReadingPublisher({
          url: config.mqttUrl,
          topics: iotMqttTopics(config.mqttTopicPrefix),
          clientId: `iot-devices-${process.pid}`,
          ...(config.mqttUsername === undefined ? {} : { username: config.mqttUsername }),
          ...(config.mqttPassword === undefined ? {} : { password: config.mqttPassword }),
        }),
      (p) => p.close(),
    );

    logger.info(
      `devices: ${fleet.devices.length} devices publishing every ${config.intervalMs} ms (speedup ${config.speedup})`,
    );
    const simulation = await acquire(
      'simulator',
      () => {
        const stop = new AbortController();
        const run = runSimulator({
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
        return { stop, run };
      },
      async ({ stop, run }) => {
        stop.abort();
        await run;
      },
    );
    // SIM_TICKS bounds the run: when it is over, the service stops (exit 0)
    watch(
      'simulator',
      simulation.run.then((result) =>
        logger.info(`devices: published ${result.published} readings in ${result.ticks} ticks`),
      ),
      { stopWhenDone: true },
    );
    return { metrics: { port: config.metricsPort, checks: { mqtt: async () => undefined } } };
  },
});
