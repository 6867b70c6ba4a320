import { describe, expect, it } from 'vitest';
import { processEnvironment } from '../src/index.ts';

describe('processEnvironment', () => {
  it('copies the environment, so changing the copy leaves process.env alone', () => {
    const copy = processEnvironment();
    expect(copy.PATH).toBe(process.env.PATH);
    copy.PATH = '/nowhere';
    expect(process.env.PATH).not.toBe('/nowhere');
  });

  it('applies overrides: a string sets, undefined removes', () => {
    const copy = processEnvironment({ STREAMKIT_TEST_SET: 'yes', PATH: undefined });
    expect(copy.STREAMKIT_TEST_SET).toBe('yes');
    expect('PATH' in copy).toBe(false);
    expect(process.env.STREAMKIT_TEST_SET).toBeUndefined();
  });
});
