import { describe, expect, it } from 'vitest';
import { defineNodeFlags, serviceCommand } from '../src/node-flags.ts';

describe('defineNodeFlags', () => {
  it('keeps heap bounds per service, frozen', () => {
    const flags = defineNodeFlags({ web: ['--max-semi-space-size=16', '--max-old-space-size=192'] });
    expect(flags.web).toEqual(['--max-semi-space-size=16', '--max-old-space-size=192']);
    expect(Object.isFrozen(flags.web)).toBe(true);
  });

  it('rejects anything but heap bounds, and a flag given twice, naming the service', () => {
    expect(() => defineNodeFlags({ web: ['--inspect'] })).toThrow(/web: --inspect is not a V8 heap bound/);
    expect(() => defineNodeFlags({ sink: ['--max-old-space-size=0'] })).toThrow(/sink/);
    expect(() => defineNodeFlags({ sink: ['--max-old-space-size=128', '--max-old-space-size=192'] })).toThrow(
      /sink: a flag is given twice/,
    );
  });
});

describe('serviceCommand', () => {
  it('starts the script with the flags and the telemetry preload, then its arguments', () => {
    expect(serviceCommand(['--max-old-space-size=128'], 'src/x/main.ts', ['live'])).toEqual([
      'node',
      '--max-old-space-size=128',
      '--import',
      '@streamkit/telemetry/register',
      'src/x/main.ts',
      'live',
    ]);
  });
});
