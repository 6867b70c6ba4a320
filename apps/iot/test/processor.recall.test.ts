import type { IotAlert } from '@streamkit/schemas';
import { describe, expect, it } from 'vitest';
import { createFleet } from '../src/devices/fleet.ts';
import { type DeviceStats, defaultAnomalySettings, detectAnomalies } from '../src/processor/anomaly.ts';

describe('anomaly detection on the simulator’s labelled faults', () => {
  it('finds >= 90% of the injected spikes and stuck sensors', () => {
    const ticks = 1440; // 4 h at 10 s
    const fleet = createFleet({
      startMs: Date.parse('2026-05-01T00:00:00Z'),
      deviceCount: 300,
      seed: 7,
      faultRate: 0.05,
    });
    const alerts = new Map<string, IotAlert[]>();
    const stats = new Map<string, DeviceStats>();
    for (let tick = 0; tick < ticks; tick++) {
      for (const { reading } of fleet.readingsAt(tick)) {
        let s = stats.get(reading.deviceId);
        if (s === undefined) {
          s = {};
          stats.set(reading.deviceId, s);
        }
        const found = detectAnomalies(reading, s, defaultAnomalySettings, reading.ts);
        if (found.length > 0)
          alerts.set(reading.deviceId, [...(alerts.get(reading.deviceId) ?? []), ...found]);
      }
    }
    const labels = fleet.faultsBetween(0, ticks).filter((f) => f.toTick <= ticks);
    const recall = (kind: 'spike' | 'stuck') => {
      const wanted = labels.filter((l) => l.kind === kind);
      const hit = wanted.filter((l) =>
        (alerts.get(l.deviceId) ?? []).some((a) => {
          const seq = (Date.parse(a.ts) - Date.parse(fleet.tickTs(0))) / fleet.settings.intervalMs;
          const kindMatches =
            kind === 'stuck' ? a.kind === 'stuck' : a.kind === 'zscore' || a.kind === 'threshold';
          return kindMatches && a.metric === l.metric && seq >= l.fromTick && seq < l.toTick;
        }),
      );
      return { labelled: wanted.length, found: hit.length, recall: hit.length / wanted.length };
    };
    const spikes = recall('spike');
    const stuck = recall('stuck');
    console.log(
      `anomaly recall: spikes ${spikes.found}/${spikes.labelled} = ${spikes.recall.toFixed(3)}, stuck ${stuck.found}/${stuck.labelled} = ${stuck.recall.toFixed(3)}`,
    );
    expect(spikes.labelled).toBeGreaterThan(10);
    expect(stuck.labelled).toBeGreaterThan(10);
    expect(spikes.recall).toBeGreaterThanOrEqual(0.9);
    expect(stuck.recall).toBeGreaterThanOrEqual(0.9);
  });
});
