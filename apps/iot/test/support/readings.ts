import type { SensorReading } from '@streamkit/schemas';

/** A valid reading of `deviceId` with sequence number `seq` (values inside every sensor bound). */
export function reading(deviceId: string, seq: number, at = Date.UTC(2026, 0, 1, 12, 0, 0)): SensorReading {
  return {
    deviceId,
    ts: new Date(at + seq * 1000).toISOString(),
    seq,
    metrics: { temperature: 21.5, humidity: 40, pressure: 1013, battery: 90, vibration: 1.2 },
  };
}
