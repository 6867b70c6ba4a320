import { defineConfig } from 'vitest/config';
import type { InfrastructureComponent } from './components.ts';
import type {} from './vitest-context.ts';

/**
 * The `test` options that make a package's tests run against real infrastructure:
 * `defineConfig({ test: { ...infrastructureTestConfig(['kafka']), testTimeout: 30_000 } })`.
 * Tests then read the addresses with `inject('infrastructure')`.
 */
export function infrastructureTestConfig(need: readonly InfrastructureComponent[]): {
  globalSetup: string[];
  provide: { infrastructureNeeds: InfrastructureComponent[] };
} {
  return { globalSetup: ['@streamkit/testkit/global-setup'], provide: { infrastructureNeeds: [...need] } };
}

/**
 * The whole vitest config of a pipeline app: its tests (`test/` and unit tests beside the code)
 * against the real `need`ed infrastructure, `export default pipelineAppTestConfig(['kafka', …])`.
 */
export function pipelineAppTestConfig(need: readonly InfrastructureComponent[]) {
  return defineConfig({
    test: {
      include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
      ...infrastructureTestConfig(need),
      // group joins, topic creation and whole-pipeline runs take seconds on a loaded 2-core machine
      testTimeout: 90_000,
      hookTimeout: 90_000,
    },
  });
}
