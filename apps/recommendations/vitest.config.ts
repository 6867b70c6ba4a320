import { infrastructureTestConfig } from '@streamkit/testkit/vitest';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
    ...infrastructureTestConfig(['kafka', 'postgres', 'redis']),
    // group joins, topic creation and whole-pipeline runs take seconds on a loaded 2-core machine
    testTimeout: 90_000,
    hookTimeout: 90_000,
  },
});
