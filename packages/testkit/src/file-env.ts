import { afterAll, beforeAll } from 'vitest';
import { createServiceProcesses, type ServiceProcesses } from './service-processes.ts';

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

/**
 * Service processes for this test file; any still running after its tests is SIGKILLed, so a failed
 * assertion leaves none behind. Call it after `use…Env`: vitest runs afterAll hooks last registered
 * first, so the processes are gone before the environment they use closes.
 */
export function useServiceProcesses(): ServiceProcesses {
  const processes = createServiceProcesses();
  afterAll(() => processes.killAll());
  return processes;
}
