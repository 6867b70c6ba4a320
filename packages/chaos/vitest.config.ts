import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // a chaos round starts its own Kafka broker, PostgreSQL cluster and redis-server, then the
    // pipeline's services: under CI load the broker alone can take a minute to start
    testTimeout: 300_000,
    hookTimeout: 60_000,
  },
});
