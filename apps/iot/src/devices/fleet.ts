import type { SensorReading } from '@streamkit/schemas';
import { type DeviceProfile, deviceProfile, healthyMetrics } from './device-profile.ts';
import { SimulatorSettingsError } from './errors.ts';
import { activeFault, type FaultLabel, type FaultPlan, type FaultWindow, faultInSlot } from './faults.ts';

export interface FleetSettings {
  /** Same seed, same fleet, same readings, same faults. */
  readonly seed: number;
  /** 1 … 100,000 devices (default 1,000). */
  readonly deviceCount: number;
  /** Device ids are `<prefix><index, zero-padded to 6>` (default "dev-"). */
  readonly deviceIdPrefix: string;
  /** Event time of tick 0 (epoch ms). */
  readonly startMs: number;
  /** Time between one device's readings (default 10 s). */
  readonly intervalMs: number;
  /** Probability of a fault per device and slot (default 0.02; 0 = healthy fleet). */
  readonly faultRate: number;
  /** Length of a fault slot in ticks (default 360 = 1 h at 10 s): at most one fault per slot. */
  readonly ticksPerSlot: number;
}

export const defaultFleetSettings = {
  seed: 1,
  deviceCount: 1000,
  deviceIdPrefix: 'dev-',
  intervalMs: 10_000,
  faultRate: 0.02,
  ticksPerSlot: 360,
} as const satisfies Omit<FleetSettings, 'startMs'>;

/** One generated reading and the fault that shaped it, if any (the label detectors are scored on). */
export interface SimulatedReading {
  readonly reading: SensorReading;
  readonly fault: FaultLabel | undefined;
}

export interface Fleet {
  readonly settings: FleetSettings;
  readonly devices: readonly DeviceProfile[];
  /** Event time of a tick, ISO-8601. */
  tickTs(tick: number): string;
  /** Every device's reading at a tick, in device order; offline devices send nothing. */
  readingsAt(tick: number): SimulatedReading[];
  /** One device's reading at a tick (undefined while it is offline). */
  readingOf(deviceIndex: number, tick: number): SimulatedReading | undefined;
  /** Every fault that starts in [fromTick, toTick), in device order, then time. */
  faultsBetween(fromTick: number, toTick: number): FaultLabel[];
}

export function validateFleetSettings(
  input: Partial<FleetSettings> & Pick<FleetSettings, 'startMs'>,
): FleetSettings {
  const s: FleetSettings = { ...defaultFleetSettings, ...input };
  const problems: string[] = [];
  if (!Number.isInteger(s.seed)) problems.push('seed must be an integer');
  if (!Number.isInteger(s.deviceCount) || s.deviceCount < 1 || s.deviceCount > 100_000)
    problems.push('deviceCount must be an integer in 1..100000');
  if (!/^[A-Za-z0-9][A-Za-z0-9._:-]{0,50}$/.test(s.deviceIdPrefix))
    problems.push('deviceIdPrefix must be a valid id start of at most 51 characters');
  if (!Number.isFinite(s.startMs)) problems.push('startMs must be a finite epoch time in ms');
  if (!Number.isInteger(s.intervalMs) || s.intervalMs < 1)
    problems.push('intervalMs must be an integer >= 1');
  if (!(s.faultRate >= 0 && s.faultRate <= 1)) problems.push('faultRate must be in 0..1');
  if (!Number.isInteger(s.ticksPerSlot) || s.ticksPerSlot < 50)
    problems.push('ticksPerSlot must be an integer >= 50');
  if (problems.length > 0) throw new SimulatorSettingsError('device fleet', problems);
  return Object.freeze(s);
}

/** A deterministic simulated fleet: any reading or fault can be computed on its own, in any order. */
export function createFleet(input: Partial<FleetSettings> & Pick<FleetSettings, 'startMs'>): Fleet {
  const settings = validateFleetSettings(input);
  const { seed, startMs, intervalMs } = settings;
  const plan: FaultPlan = { rate: settings.faultRate, ticksPerSlot: settings.ticksPerSlot };
  const devices = Array.from({ length: settings.deviceCount }, (_, i) =>
    deviceProfile(seed, i, `${settings.deviceIdPrefix}${String(i).padStart(6, '0')}`),
  );
  const tickTs = (tick: number) => new Date(startMs + tick * intervalMs).toISOString();

  function label(device: DeviceProfile, f: FaultWindow): FaultLabel {
    return {
      deviceId: device.deviceId,
      kind: f.kind,
      ...(f.metric === undefined ? {} : { metric: f.metric }),
      fromTick: f.fromTick,
      toTick: f.toTick,
      fromTs: tickTs(f.fromTick),
      toTs: tickTs(f.toTick),
      ...(f.kind === 'spike' ? { value: spikeValue(device, f) } : {}),
    };
  }

  function spikeValue(device: DeviceProfile, f: FaultWindow): number {
    const healthy = healthyMetrics(seed, device, startMs, startMs + f.fromTick * intervalMs, f.fromTick);
    switch (f.metric) {
      case 'temperature':
        return Math.min(150, Math.round((healthy.temperature + 25 + 20 * f.magnitude) * 100) / 100);
      case 'pressure': {
        // 60–120 hPa off, downwards where upwards would leave the schema's range (≤ 1100 hPa): a
        // reading the hub dead-letters as invalid never reaches the detector
        const offset = 60 + 60 * f.magnitude;
        const up = f.magnitude >= 0.5 && healthy.pressure + offset <= 1100;
        return Math.round((healthy.pressure + (up ? offset : -offset)) * 10) / 10;
      }
      default:
        return Math.min(1000, Math.round(healthy.vibration * (15 + 25 * f.magnitude) * 1000) / 1000);
    }
  }

  function readingOf(deviceIndex: number, tick: number): SimulatedReading | undefined {
    const device = devices[deviceIndex];
    if (device === undefined || tick < 0) return undefined;
    const atMs = startMs + tick * intervalMs;
    const fault = activeFault(seed, deviceIndex, tick, plan);
    if (fault?.kind === 'offline') return undefined;
    const metrics = { ...healthyMetrics(seed, device, startMs, atMs, tick) };
    if (fault?.kind === 'stuck' && fault.metric !== undefined) {
      const frozen = healthyMetrics(
        seed,
        device,
        startMs,
        startMs + fault.fromTick * intervalMs,
        fault.fromTick,
      );
      metrics[fault.metric] = frozen[fault.metric];
    } else if (fault?.kind === 'spike' && fault.metric !== undefined) {
      metrics[fault.metric] = spikeValue(device, fault);
    } else if (fault?.kind === 'battery_drain') {
      // a failing cell: 1.5 % per reading on top of the normal drain
      metrics.battery = Math.max(
        0,
        Math.round((metrics.battery - 1.5 * (tick - fault.fromTick + 1)) * 10) / 10,
      );
    }
    return {
      reading: { deviceId: device.deviceId, ts: new Date(atMs).toISOString(), seq: tick, metrics },
      fault: fault === undefined ? undefined : label(device, fault),
    };
  }

  return {
    settings,
    devices,
    tickTs,
    readingOf,
    readingsAt(tick) {
      const out: SimulatedReading[] = [];
      for (let i = 0; i < devices.length; i++) {
        const r = readingOf(i, tick);
        if (r !== undefined) out.push(r);
      }
      return out;
    },
    faultsBetween(fromTick, toTick) {
      const out: FaultLabel[] = [];
      const firstSlot = Math.floor(fromTick / plan.ticksPerSlot);
      const lastSlot = Math.floor((toTick - 1) / plan.ticksPerSlot);
      devices.forEach((device, i) => {
        for (let slot = firstSlot; slot <= lastSlot; slot++) {
          const f = faultInSlot(seed, i, slot, plan);
          if (f !== undefined && f.fromTick >= fromTick && f.fromTick < toTick) out.push(label(device, f));
        }
      });
      return out;
    },
  };
}
