import type { SensorReading } from '@streamkit/schemas';

/**
 * The reading the IoT scenarios publish as operation `operation` (its `seq`), at `epochMs`: valid,
 * varying with the operation so that windows and anomalies have something to aggregate. The same
 * in the generator's own process and in its forked publishers.
 */
export function loadReading(deviceId: string, operation: number, epochMs: number): SensorReading {
  return {
    deviceId,
    ts: new Date(epochMs).toISOString(),
    seq: operation,
    metrics: {
      temperature: 20 + (operation % 100) / 10,
      humidity: 45,
      pressure: 1013,
      battery: 80,
      vibration: 1 + (operation % 7) / 10,
    },
  };
}
