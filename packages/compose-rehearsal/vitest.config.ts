import { infrastructureTestConfig } from '@streamkit/testkit/vitest';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // the profile rehearsals run against the machine's (or the environment's) real services
    ...infrastructureTestConfig(['kafka', 'postgres', 'redis', 'mqtt']),
    // one rehearsal starts four services and waits for their healthchecks (start_period 30 s each)
    testTimeout: 240_000,
    hookTimeout: 60_000,
  },
});
