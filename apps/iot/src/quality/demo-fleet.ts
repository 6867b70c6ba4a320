import type { DeliverySettings } from '../devices/delivery.ts';
import type { FleetSettings } from '../devices/fleet.ts';

/**
 * The fleet `pnpm demo iot` simulates (src/demo.ts passes these to the devices service), so the
 * anomaly quality command measures the detector on the readings a demo user sees: 200 devices every
 * 2 s (100 readings/s), a fault in 5 % of 5-minute slots (0.6 per device-hour: spikes, stuck sensors,
 * battery drains, offline gaps), 1 % of readings up to 30 s late.
 */
export const demoFleet = {
  seed: 1,
  deviceCount: 200,
  intervalMs: 2000,
  faultRate: 0.05,
  ticksPerSlot: 150,
} as const satisfies Partial<FleetSettings>;

export const demoDelivery = {
  lateFraction: 0.01,
  maxLatenessMs: 30_000,
} as const satisfies DeliverySettings;
