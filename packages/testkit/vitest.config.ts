import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // this package's own setup, by path (the package name resolves to the same file)
    globalSetup: ['./src/global-setup.ts'],
    provide: { infrastructureNeeds: ['kafka', 'postgres', 'redis', 'mqtt'] },
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
