import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['**/*.test.ts'],
    exclude: ['**/node_modules/**'],
    // docker.test.ts prunes the workspace and installs the pruned tree from the pnpm store.
    testTimeout: 60_000,
    // Tests here that need real infrastructure add `...infrastructureTestConfig([...])`
    // from @streamkit/testkit/vitest; the compose and Dockerfile checks need none.
  },
});
