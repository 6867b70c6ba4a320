import { describe, expect, it } from 'vitest';
import { DetectorSettingsError } from './errors.ts';
import { type DetectorSettings, validateDetectorSettings } from './settings.ts';

const valid: DetectorSettings = {
  groupId: 'fraud-detector',
  transactionalId: 'fraud-detector-0',
  maxBatchSize: 500,
  sessionTimeoutMs: 30_000,
  thresholds: { review: 0.5, decline: 0.9 },
  allowedLatenessMs: 300_000,
  maxFutureSkewMs: 300_000,
  cardStateTtlSeconds: 6 * 3600,
  decisionTtlSeconds: 7 * 86_400,
  rulesReloadIntervalMs: 30_000,
  modelPollIntervalMs: 30_000,
  stateCacheCards: 20_000,
  commitLingerMs: 20,
  fetchMinBytes: 1,
  fetchMaxWaitMs: 500,
};

describe('validateDetectorSettings', () => {
  it('accepts sensible settings unchanged', () => {
    expect(validateDetectorSettings(valid)).toBe(valid);
  });

  it('rejects nonsense with one error naming every problem', () => {
    const error = (() => {
      try {
        validateDetectorSettings({
          ...valid,
          transactionalId: ' ',
          thresholds: { review: 0.95, decline: 0.9 },
          cardStateTtlSeconds: 600,
          sessionTimeoutMs: 1000,
        });
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(DetectorSettingsError);
    const { problems, retriable } = error as DetectorSettingsError;
    expect(retriable).toBe(false);
    expect(problems).toEqual([
      'transactionalId must not be empty',
      'sessionTimeoutMs must be an integer >= 6000, got 1000',
      'thresholds.review (0.95) must not exceed thresholds.decline (0.9)',
      'cardStateTtlSeconds must be an integer >= 3600, got 600',
    ]);
  });

  it('rejects thresholds outside (0, 1]', () => {
    expect(() => validateDetectorSettings({ ...valid, thresholds: { review: 0, decline: 1.5 } })).toThrow(
      /thresholds\.review must be within \(0, 1\], got 0[\s\S]*thresholds\.decline must be within \(0, 1\], got 1\.5/,
    );
  });
});
