import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The CLI tests start real runner processes, which start real services.
    testTimeout: 30_000,
    hookTimeout: 15_000,
  },
});
