import { env } from '@streamkit/config';
import { iotCommonEnv } from '../common/env.ts';
import { defaultDeliverySettings } from './delivery.ts';
import { defaultFleetSettings } from './fleet.ts';

/** The simulator's environment (loaded by the runtime when the service starts). */
export const devicesEnv = Object.freeze({
  ...iotCommonEnv,
  deviceCount: env.int('DEVICE_COUNT', { default: defaultFleetSettings.deviceCount, min: 1, max: 100_000 }),
  seed: env.int('SIM_SEED', { default: defaultFleetSettings.seed }),
  deviceIdPrefix: env.string('SIM_DEVICE_PREFIX', { default: defaultFleetSettings.deviceIdPrefix }),
  intervalMs: env.int('SIM_INTERVAL_MS', { default: defaultFleetSettings.intervalMs, min: 1 }),
  speedup: env.number('SIM_SPEEDUP', { default: 1, min: 0.001 }),
  faultRate: env.number('SIM_FAULT_RATE', { default: defaultFleetSettings.faultRate, min: 0, max: 1 }),
  ticksPerSlot: env.int('SIM_TICKS_PER_SLOT', { default: defaultFleetSettings.ticksPerSlot, min: 50 }),
  lateFraction: env.number('SIM_LATE_FRACTION', {
    default: defaultDeliverySettings.lateFraction,
    min: 0,
    max: 1,
  }),
  maxLatenessMs: env.int('SIM_MAX_LATENESS_MS', { default: defaultDeliverySettings.maxLatenessMs, min: 0 }),
  /** Stop after this many ticks (default: run until stopped). */
  ticks: env.int('SIM_TICKS', { optional: true, min: 1 }),
  /** Where to append the labels of injected faults (JSON lines); none by default. */
  labelsFile: env.string('SIM_LABELS_FILE', { optional: true }),
  /** The hub to register the devices with; without an admin key the registration is only printed. */
  hubUrl: env.url('HUB_URL', { default: 'http://127.0.0.1:8091', protocols: ['http', 'https'] }),
  hubAdminKey: env.secret('HUB_ADMIN_KEY', { optional: true }),
  mqttUsername: env.string('DEVICES_MQTT_USERNAME', { optional: true }),
  mqttPassword: env.secret('DEVICES_MQTT_PASSWORD', { optional: true }),
});
