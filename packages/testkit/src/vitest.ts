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
