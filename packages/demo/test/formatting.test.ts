import { describe, expect, it } from 'vitest';
import { parseCliArgs } from '../src/cli-args.ts';
import { formatUrlBox } from '../src/url-box.ts';

describe('formatUrlBox', () => {
  it('frames every row at one width, names aligned', () => {
    const box = formatUrlBox(
      'ready',
      [
        { name: 'gateway', url: 'http://127.0.0.1:8080/' },
        { name: 'ui', url: 'http://127.0.0.1:3000/' },
      ],
      'Ctrl-C stops everything',
    );
    const lines = box.trimEnd().split('\n');

    expect(new Set(lines.map((l) => l.length)).size).toBe(1);
    expect(lines[0]?.startsWith('┌')).toBe(true);
    expect(lines.at(-1)?.startsWith('└')).toBe(true);
    expect(box).toContain('│   gateway  http://127.0.0.1:8080/');
    expect(box).toContain('│   ui       http://127.0.0.1:3000/');
  });
});

describe('parseCliArgs', () => {
  it('reads the pipeline and --apps-root', () => {
    expect(parseCliArgs(['fraud', '--apps-root', '/tmp/apps'])).toEqual({
      pipeline: 'fraud',
      appsRoot: '/tmp/apps',
      help: false,
    });
    expect(parseCliArgs([])).toEqual({ pipeline: undefined, appsRoot: undefined, help: false });
  });

  it('rejects unknown flags and more than one pipeline', () => {
    expect(() => parseCliArgs(['--start-everything'])).toThrow(/start-everything/);
    expect(() => parseCliArgs(['fraud', 'iot'])).toThrow(/one pipeline name/);
  });
});
