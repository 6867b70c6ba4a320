import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // a chaos round starts its own Kafka broker, PostgreSQL cluster and redis-server, then the
    // pipeline's services: under CI load the broker alone can take a minute to start. Measured at
    // load average ~20 on 2 cores: fraud 191 s, recommendations 183 s, iot 158 s per round
    testTimeout: 320_000,
    hookTimeout: 60_000,
  },
});
