import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // the service tests start child Node processes; the machine has 2 cores
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
