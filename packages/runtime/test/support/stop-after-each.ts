import { afterEach } from 'vitest';
import type { RunningService } from '../../src/index.ts';

/** The services a test pushes here are stopped after it, also when it failed. */
export function stopAfterEach(): RunningService<unknown, unknown>[] {
  const running: RunningService<unknown, unknown>[] = [];
  afterEach(async () => {
    await Promise.all(running.splice(0).map((s) => s.stop().catch(() => undefined)));
  });
  return running;
}
