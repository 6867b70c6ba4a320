import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The register test starts child Node processes; the machine has 2 cores.
    testTimeout: 20_000,
    hookTimeout: 20_000,
  },
});
