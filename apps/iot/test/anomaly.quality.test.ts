import { describe, expect, it } from 'vitest';
import { defaultDeliverySettings } from '../src/devices/delivery.ts';
import { defaultFleetSettings } from '../src/devices/fleet.ts';
import { QUALITY_BAR } from '../src/quality/format.ts';
import { runAnomalyQuality } from '../src/quality/run-quality.ts';

describe('anomaly detection on the simulator’s labelled faults', () => {
  it('the demo’s fleet: precision ≥ 0.8 at recall ≥ 0.9, in its first minutes too', () => {
    const q = runAnomalyQuality({ hours: 2 });
    console.log(
      `demo fleet, 2 h: precision ${q.whole.precision.toFixed(3)}, recall ${q.whole.recall.toFixed(3)}, ${q.whole.alertsPerDeviceHour.toFixed(2)} alerts/device-hour; first ${q.settings.warmupMinutes} min: precision ${q.warmup.precision.toFixed(3)}, recall ${q.warmup.recall.toFixed(3)}`,
    );
    for (const score of [q.whole, q.warmup]) {
      expect(score.precision).toBeGreaterThanOrEqual(QUALITY_BAR.precision);
      expect(score.recall).toBeGreaterThanOrEqual(QUALITY_BAR.recall);
    }
    // every kind of fault was injected and found, and the first minutes had faults to find
    for (const kind of Object.values(q.whole.byKind)) {
      expect(kind.labelled).toBeGreaterThan(20);
      expect(kind.recall).toBeGreaterThanOrEqual(QUALITY_BAR.recall);
    }
    expect(q.rejectedByHub).toBe(0);
    expect(q.warmup.alerts).toBeGreaterThan(5);
    // about one alert per injected fault: 0.6 faults per device-hour
    expect(q.whole.alertsPerDeviceHour).toBeLessThan(1);
  });

  it('the simulator’s default fleet (a reading every 10 s): the same bar', () => {
    const q = runAnomalyQuality({
      fleet: { ...defaultFleetSettings, deviceCount: 500, faultRate: 0.05, seed: 7 },
      delivery: defaultDeliverySettings,
      hours: 4,
    });
    expect(Object.values(q.whole.byKind).every((k) => k.labelled > 10)).toBe(true);
    expect(q.whole.precision).toBeGreaterThanOrEqual(QUALITY_BAR.precision);
    expect(q.whole.recall).toBeGreaterThanOrEqual(QUALITY_BAR.recall);
  });
});
