/**
 * The contract between the load generator and a pipeline's scenario.
 *
 * The runner owns the schedule and the numbers; a scenario owns the system under test. The runner
 * calls `send(operation, intendedAtNs)` on an open-loop schedule; the scenario issues one
 * operation (an HTTP request, a Kafka message, an MQTT publish) and resolves once it was accepted.
 * When the operation's visible effect shows up — often on another path, e.g. a Kafka consumer
 * reading a decision — the scenario calls `ctx.recordLatency({ operation })`. So the scenario must
 * carry the operation number (and ideally the send time) inside what it sends, and correlate the
 * effect back to it. Operations never completed by the end of the drain are counted as lost.
 */
import type { Clock } from './clock.ts';
import type { OptionSpec, OptionValues } from './options.ts';

/** Infrastructure endpoints, read from the environment by the CLI (through @streamkit/config). */
export interface LoadgenEnvironment {
  readonly kafkaBrokers: readonly string[];
  readonly kafkaClientId: string;
  /** KAFKA_CLIENT: the client library behind @streamkit/kafka (absent: kafkajs). */
  readonly kafkaClient?: 'kafkajs' | 'platformatic';
  readonly databaseUrl: string;
  readonly redisUrl: string;
  readonly mqttUrl: string;
}

/** The run's settings, as a scenario may want to size itself by them (e.g. partitions, pools). */
export interface RunSettings {
  /** Operations per second offered. */
  readonly rate: number;
  /** Measured seconds. */
  readonly durationS: number;
  /** Seconds run at the same rate before measuring starts (excluded from the statistics). */
  readonly warmupS: number;
  /** Operations outstanding at once before further ones are dropped (and counted). */
  readonly maxInFlight: number;
  /** Seconds to wait after the last send for outstanding completions. */
  readonly drainS: number;
}

export interface Completion {
  readonly operation: number;
  /** Where latency starts; default: the operation's intended send time. */
  readonly startNs?: number;
  /** When the effect was observed; default: now. */
  readonly endNs?: number;
}

export interface ScenarioContext<Options> {
  /** Short id unique to this run: name topics, groups and keys with it. */
  readonly runId: string;
  readonly options: Options;
  readonly settings: RunSettings;
  readonly environment: LoadgenEnvironment;
  /** The run's time base: intended send times and completions are nanoseconds on it. */
  readonly clock: Clock;
  /** Aborted when the run is interrupted (SIGINT): stop waiting on anything slow. */
  readonly signal: AbortSignal;
  /** The operation's visible effect was observed. A second completion of one operation counts as a duplicate. */
  recordLatency(completion: Completion): void;
  /**
   * The operation's send is retried after an answer that left its outcome unknown (e.g. a 503 that
   * may still be processed, retried with the same id): its completion counts as completed after
   * retry, not as a duplicate. Call it once, when the first retry starts (before or after its effect).
   */
  recordRetry(operation: number): void;
  /** Something went wrong, counted under `kind`; with `operation`, that operation is finished (not lost). */
  recordError(kind: string, operation?: number): void;
  /** A line for the operator (stderr), e.g. "topic created". */
  log(message: string): void;
}

export interface ScenarioRun {
  /**
   * Issue one operation; resolve when the system accepted it, reject when it refused it (counted
   * under the error's `kind`, else its `name`). Must not wait for the operation's effect: the
   * runner calls it again on schedule while earlier ones are still under way.
   */
  send(operation: number, intendedAtNs: number): Promise<void>;
  /** Release everything `setup` created (clients, consumers, topics). Called once, after the drain. */
  teardown(): Promise<void>;
}

export interface Scenario<S extends OptionSpec = OptionSpec> {
  /** What the CLI is given: `pnpm loadgen <name>`. Lowercase, digits and dashes. */
  readonly name: string;
  /** One line for `--list`. */
  readonly description: string;
  /** Extra flags of this scenario (kebab-case names), validated before setup. */
  readonly options?: S;
  /** Connect, create what the run needs and be ready for the first `send` when this resolves. */
  setup(ctx: ScenarioContext<OptionValues<S>>): Promise<ScenarioRun>;
}

/** Identity function that lets TypeScript infer the option values' types inside `setup`. */
export function defineScenario<S extends OptionSpec>(scenario: Scenario<S>): Scenario<S> {
  return scenario;
}

export const scenarioNamePattern = /^[a-z][a-z0-9-]*$/;
