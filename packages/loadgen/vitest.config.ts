import { infrastructureTestConfig } from '@streamkit/testkit/vitest';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // the kafka-roundtrip integration test needs a real broker
    ...infrastructureTestConfig(['kafka']),
    testTimeout: 60_000,
    hookTimeout: 90_000,
  },
});
