/** Infrastructure a pipeline can ask for; the runner provisions exactly these before `prepare`. */
export type InfrastructureNeed = 'kafka' | 'postgres' | 'redis' | 'mqtt';

export const infrastructureNeeds: readonly InfrastructureNeed[] = ['kafka', 'postgres', 'redis', 'mqtt'];

/** Where the infrastructure answers; the same shape as @streamkit/testkit's `Infrastructure`. */
export interface DemoInfrastructure {
  readonly kafkaBrokers: readonly string[];
  readonly databaseUrl: string;
  readonly redisUrl: string;
  readonly mqttUrl: string;
}

/**
 * How the runner knows a service is up: an HTTP URL answering 2xx/3xx, a line in its output, or
 * (`completes`) a one-shot step such as a model bootstrap, done once it exits with code 0; the next
 * services start only then, and its exit is not a crash.
 */
export type ReadyCondition =
  | { readonly http: string }
  | { readonly logLine: RegExp }
  | { readonly completes: true };

export interface DemoService {
  /** Short name, used as the output prefix and in messages. */
  readonly name: string;
  /** argv; a leading 'node' runs on the runner's own Node binary. */
  readonly command: readonly string[];
  /** Working directory, usually the app's folder. */
  readonly cwd: string;
  /** Extra environment on top of the parent's and the infrastructure's (KAFKA_BROKERS, …). */
  readonly env?: (infra: DemoInfrastructure) => Record<string, string>;
  /** Printed in the box of URLs once everything is ready. */
  readonly url?: string;
  readonly ready: ReadyCondition;
  /** Overrides the runner's default readiness deadline. */
  readonly readyTimeoutMs?: number;
}

/** What an app's demo module (`"streamkit": { "demo": "./src/demo.ts" }`) exports as default. */
export interface DemoPipeline {
  readonly name: string;
  readonly description: string;
  readonly needs: readonly InfrastructureNeed[];
  /** Runs once the infrastructure is up and before any service starts: migrations, topics. */
  readonly prepare?: (infra: DemoInfrastructure) => Promise<void>;
  /** Printed under the box of URLs once everything is ready: where to look, what to try. */
  readonly readyNotes?: readonly string[];
  /** Started in this order, stopped in reverse. */
  readonly services: readonly DemoService[];
}
