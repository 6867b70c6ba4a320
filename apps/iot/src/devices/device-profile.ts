import type { SensorMetricName, SensorMetrics } from '@streamkit/schemas';
import { between, gaussian } from './noise.ts';

/** A device's fixed character: where it sits, its climate, its battery, its machine. */
export interface DeviceProfile {
  readonly index: number;
  readonly deviceId: string;
  readonly latitude: number;
  readonly longitude: number;
  readonly baseTemperature: number;
  readonly dailyAmplitude: number;
  /** Hour of day (UTC) of the temperature peak: devices sit in different time zones. */
  readonly peakHourUtc: number;
  /** Sensor drift, °C per day (slow calibration loss). */
  readonly temperatureDriftPerDay: number;
  readonly baseHumidity: number;
  readonly basePressure: number;
  readonly batteryAtStart: number;
  /** % per day. */
  readonly batteryDrainPerDay: number;
  readonly baseVibration: number;
}

const DAY_MS = 86_400_000;
// channel numbers keep the noise streams of different metrics independent
const CHANNEL: Record<SensorMetricName, number> = {
  temperature: 11,
  humidity: 12,
  pressure: 13,
  battery: 14,
  vibration: 15,
};

export function deviceProfile(seed: number, index: number, deviceId: string): DeviceProfile {
  const r = (channel: number, min: number, max: number) => between(min, max, seed, index, 0, channel);
  const longitude = r(1, -180, 180);
  return {
    index,
    deviceId,
    latitude: r(2, -60, 70),
    longitude,
    baseTemperature: r(3, 12, 30),
    dailyAmplitude: r(4, 1.5, 6),
    peakHourUtc: (((15 - longitude / 15) % 24) + 24) % 24,
    temperatureDriftPerDay: r(5, -0.4, 0.4),
    baseHumidity: r(6, 25, 70),
    basePressure: r(7, 995, 1025),
    batteryAtStart: r(8, 60, 100),
    batteryDrainPerDay: r(9, 0.3, 2),
    baseVibration: r(10, 0.3, 4),
  };
}

const clamp = (v: number, min: number, max: number) => Math.min(max, Math.max(min, v));
const round = (v: number, digits: number) => Math.round(v * 10 ** digits) / 10 ** digits;

/**
 * The healthy reading of a device at `atMs` (tick = its sequence index): daily cycle + drift +
 * noise on temperature, humidity moving against temperature, slow pressure weather, a battery
 * that drains, machine vibration with occasional bursts. Rounded like a real sensor reports.
 */
export function healthyMetrics(
  seed: number,
  p: DeviceProfile,
  startMs: number,
  atMs: number,
  tick: number,
): SensorMetrics {
  const days = (atMs - startMs) / DAY_MS;
  const hourUtc = (((atMs % DAY_MS) + DAY_MS) % DAY_MS) / 3_600_000;
  const cycle = Math.cos(((hourUtc - p.peakHourUtc) / 24) * 2 * Math.PI);
  const n = (metric: SensorMetricName) => gaussian(seed, p.index, tick, CHANNEL[metric]);
  const temperature =
    p.baseTemperature + p.dailyAmplitude * cycle + p.temperatureDriftPerDay * days + 0.15 * n('temperature');
  const humidity = p.baseHumidity - 2.5 * p.dailyAmplitude * cycle + 0.8 * n('humidity');
  // weather: two slow waves of a few days' period, phase per device
  const weather = 6 * Math.sin(days * 1.7 + p.index) + 3 * Math.sin(days * 0.6 + p.index * 0.37);
  const pressure = p.basePressure + weather + 0.2 * n('pressure');
  const battery = p.batteryAtStart - p.batteryDrainPerDay * days;
  const vibration = p.baseVibration * Math.exp(0.15 * n('vibration'));
  return {
    temperature: round(clamp(temperature, -50, 150), 2),
    humidity: round(clamp(humidity, 0, 100), 1),
    pressure: round(clamp(pressure, 300, 1100), 1),
    battery: round(clamp(battery, 0, 100), 1),
    vibration: round(clamp(vibration, 0, 1000), 3),
  };
}
