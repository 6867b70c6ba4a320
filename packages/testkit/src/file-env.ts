import { afterAll, beforeAll } from 'vitest';

/**
 * A test file's own environment (topics, database, keys…), opened before its tests and closed after
 * them, also when a test failed. The tests read it through the returned accessor.
 */
export function useFileEnv<T extends { close(): Promise<void> }>(open: () => Promise<T>): () => T {
  let env: T | undefined;
  beforeAll(async () => {
    env = await open();
  });
  afterAll(async () => {
    await env?.close();
  });
  return () => {
    if (env === undefined) throw new Error('the test file environment is not open (its beforeAll failed)');
    return env;
  };
}
