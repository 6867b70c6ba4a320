import { infrastructureTestConfig } from '@streamkit/testkit/vitest';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // instrumentations.test.ts starts a service that reads PostgreSQL and Redis
    ...infrastructureTestConfig(['postgres', 'redis']),
    // The register and instrumentation tests start child Node processes; the machine has 2 cores.
    testTimeout: 30_000,
    hookTimeout: 40_000,
  },
});
