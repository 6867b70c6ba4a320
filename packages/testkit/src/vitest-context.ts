import type { Infrastructure, InfrastructureComponent } from './components.ts';

// Types what the testkit globalSetup provides, so `inject('infrastructure')` is typed in tests.
declare module 'vitest' {
  export interface ProvidedContext {
    /** Addresses of the real services, checked once per test run by the globalSetup. */
    infrastructure: Infrastructure;
    /** Which components the globalSetup must provide (set by `infrastructureTestConfig`). */
    infrastructureNeeds: InfrastructureComponent[];
  }
}
