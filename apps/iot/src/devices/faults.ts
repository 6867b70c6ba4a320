import type { SensorMetricName } from '@streamkit/schemas';
import { between, uniform } from './noise.ts';

export type FaultKind = 'stuck' | 'spike' | 'battery_drain' | 'offline';
export const FAULT_KINDS: readonly FaultKind[] = ['stuck', 'spike', 'battery_drain', 'offline'];

/** A fault injected into one device, the ground truth detectors are scored against. */
export interface FaultLabel {
  readonly deviceId: string;
  readonly kind: FaultKind;
  /** The metric affected (battery for battery_drain; absent for offline). */
  readonly metric?: SensorMetricName;
  /** Ticks [fromTick, toTick) of the device's schedule (tick = seq). */
  readonly fromTick: number;
  readonly toTick: number;
  /** The same as event times: [fromTs, toTs). */
  readonly fromTs: string;
  readonly toTs: string;
  /** For spikes: the value sent instead of the healthy one. */
  readonly value?: number;
}

export interface FaultPlan {
  /** Probability that a device has a fault in a given slot (default 0.02). */
  readonly rate: number;
  /** Ticks per slot: each device gets at most one fault per slot. */
  readonly ticksPerSlot: number;
}

const STUCK_METRICS: readonly SensorMetricName[] = ['temperature', 'humidity', 'pressure'];
const SPIKE_METRICS: readonly SensorMetricName[] = ['temperature', 'vibration', 'pressure'];

/** A raw fault (ticks only), decided from the hash of (seed, device, slot): no state, any order. */
export interface FaultWindow {
  readonly kind: FaultKind;
  readonly metric: SensorMetricName | undefined;
  readonly fromTick: number;
  readonly toTick: number;
  /** 0..1, used to size spikes. */
  readonly magnitude: number;
}

export function faultInSlot(
  seed: number,
  deviceIndex: number,
  slot: number,
  plan: FaultPlan,
): FaultWindow | undefined {
  if (slot < 0 || uniform(seed, deviceIndex, slot, 100) >= plan.rate) return undefined;
  const kind = FAULT_KINDS[Math.floor(uniform(seed, deviceIndex, slot, 101) * FAULT_KINDS.length)] ?? 'spike';
  const slotStart = slot * plan.ticksPerSlot;
  const length = (() => {
    switch (kind) {
      case 'spike':
        return 1;
      case 'stuck':
        return Math.round(between(12, 40, seed, deviceIndex, slot, 102));
      case 'offline':
        return Math.round(between(5, 30, seed, deviceIndex, slot, 102));
      case 'battery_drain':
        return plan.ticksPerSlot;
    }
  })();
  const duration = Math.max(1, Math.min(length, plan.ticksPerSlot - 1));
  const fromTick =
    slotStart + Math.floor(uniform(seed, deviceIndex, slot, 103) * (plan.ticksPerSlot - duration));
  const pick = (list: readonly SensorMetricName[]) =>
    list[Math.floor(uniform(seed, deviceIndex, slot, 104) * list.length)];
  const metric =
    kind === 'stuck'
      ? pick(STUCK_METRICS)
      : kind === 'spike'
        ? pick(SPIKE_METRICS)
        : kind === 'battery_drain'
          ? 'battery'
          : undefined;
  return {
    kind,
    metric,
    fromTick,
    toTick: fromTick + duration,
    magnitude: uniform(seed, deviceIndex, slot, 105),
  };
}

/** The fault (if any) active for a device at a tick. */
export function activeFault(
  seed: number,
  deviceIndex: number,
  tick: number,
  plan: FaultPlan,
): FaultWindow | undefined {
  const fault = faultInSlot(seed, deviceIndex, Math.floor(tick / plan.ticksPerSlot), plan);
  return fault !== undefined && tick >= fault.fromTick && tick < fault.toTick ? fault : undefined;
}
