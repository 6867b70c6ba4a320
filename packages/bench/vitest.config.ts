import { infrastructureTestConfig } from '@streamkit/testkit/vitest';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // the smoke test starts every pipeline's services against the real local infrastructure
    ...infrastructureTestConfig(['kafka', 'postgres', 'redis', 'mqtt']),
    testTimeout: 180_000,
    hookTimeout: 120_000,
  },
});
