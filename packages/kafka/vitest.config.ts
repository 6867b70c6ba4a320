import { infrastructureTestConfig } from '@streamkit/testkit/vitest';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    ...infrastructureTestConfig(['kafka', 'postgres', 'redis']),
    // group joins and topic creation take seconds on a loaded 2-core machine
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
