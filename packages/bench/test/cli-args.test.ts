import { describe, expect, it } from 'vitest';
import { parseBenchArgs } from '../src/cli-args.ts';
import { BenchUsageError } from '../src/errors.ts';
import { fullSettings, isSelectedScenario, quickSettings } from '../src/settings.ts';

describe('parseBenchArgs', () => {
  it('takes pipelines and flags', () => {
    const command = parseBenchArgs([
      'fraud',
      'iot',
      '--quick',
      '--duration',
      '4',
      '--no-baseline',
      '--no-http-floor',
      '--out',
      '/tmp/x',
    ]);
    expect(command).toMatchObject({
      kind: 'run',
      pipelines: ['fraud', 'iot'],
      outDir: '/tmp/x',
      quick: true,
    });
    if (command.kind !== 'run') throw new Error('a run');
    expect(command.settings.timing).toEqual({ ...quickSettings.timing, durationS: 4 });
    expect(command.settings.baseline).toBe(false);
    expect(command.settings.httpFloor).toBe(false);
  });

  it('selects scenarios with a repeatable --scenario', () => {
    const command = parseBenchArgs([
      'recommendations',
      '--scenario',
      'recs-serve',
      '--scenario',
      'recs-freshness',
    ]);
    expect(command.kind === 'run' && command.settings.scenarios).toEqual(['recs-serve', 'recs-freshness']);
    const all = parseBenchArgs(['recommendations']);
    expect(all.kind === 'run' && all.settings.scenarios).toBeUndefined();
    // the same choice rules the ramps, the HTTP floor's objectives and the baseline's sizes
    expect(isSelectedScenario({ scenarios: ['recs-serve'] }, 'recs-serve')).toBe(true);
    expect(isSelectedScenario({ scenarios: ['recs-serve'] }, 'recs-freshness')).toBe(false);
    expect(isSelectedScenario({}, 'recs-freshness')).toBe(true);
  });

  it("sets the state-size runs' rate with --state-rate, and refuses one <= 0", () => {
    const command = parseBenchArgs(['fraud', '--state-rate', '2000']);
    expect(command.kind === 'run' && command.settings.stateSizeRate).toBe(2000);
    const fallback = parseBenchArgs(['fraud']);
    expect(fallback.kind === 'run' && fallback.settings.stateSizeRate).toBeUndefined();
    expect(() => parseBenchArgs(['--state-rate', '0'])).toThrow(/--state-rate/);
  });

  it('defaults to the full settings', () => {
    const command = parseBenchArgs([]);
    expect(command.kind === 'run' && command.settings).toEqual(fullSettings);
  });

  it('names the bad flag', () => {
    expect(() => parseBenchArgs(['--fast'])).toThrow(BenchUsageError);
    expect(() => parseBenchArgs(['--fast'])).toThrow(/--fast/);
    expect(() => parseBenchArgs(['--duration', 'abc'])).toThrow(/--duration/);
    expect(() => parseBenchArgs(['--bisections', '-1'])).toThrow(/--bisections/);
    expect(() => parseBenchArgs(['--out'])).toThrow(/--out/);
  });

  it('knows --help and --list', () => {
    expect(parseBenchArgs(['--help']).kind).toBe('help');
    expect(parseBenchArgs(['-h']).kind).toBe('help');
    expect(parseBenchArgs(['--list']).kind).toBe('list');
  });
});
