/**
 * What an app declares for `pnpm bench` (`"streamkit": { "bench": "./src/bench.ts" }`, default
 * export). The bench starts the app's demo pipeline (only the services named here, so no live data
 * generator competes with the load) and drives the app's loadgen scenarios.
 */
import type { DemoInfrastructure } from '@streamkit/demo';

/** Names that keep one bench run apart from demos, tests and earlier runs on the same infrastructure. */
export interface BenchIsolation {
  /** KAFKA_TOPIC_PREFIX for the services and the scenarios, e.g. "bench-1a2b3c4d." (may be ""). */
  readonly topicPrefix: string;
  /** REDIS_KEY_PREFIX, e.g. "bench-1a2b3c4d:". */
  readonly redisKeyPrefix: string;
  /** MQTT_TOPIC_PREFIX, e.g. "bench-1a2b3c4d/". */
  readonly mqttTopicPrefix: string;
}

export type ScenarioOptionValue = string | number | boolean;

export interface BenchObjective {
  /** The step passes only while p99 latency stays below this. */
  readonly p99Ms: number;
  /** How the objective reads in the report, e.g. "p99 < 100 ms". */
  readonly text: string;
  /** The target for this pipeline, quoted in the report. */
  readonly target: string;
  /** The throughput target at this objective (operations/s), if it sets one. */
  readonly targetRate?: number;
  /** Measured and shown, but not a pipeline objective of the issue. */
  readonly informational?: boolean;
}

export interface BenchRamp {
  /** First offered rate (operations per second). */
  readonly startRate: number;
  /** The search stops here even if every step passed. */
  readonly maxRate: number;
}

export interface BenchStateSize {
  /** The scenario option that sets the state size (e.g. "cards"). */
  readonly option: string;
  /** What the values count, e.g. "cards". */
  readonly unit: string;
  /** Three sizes, smallest first. */
  readonly values: readonly [number, number, number];
  /** Rate of the state-size runs; default: half the max sustainable rate found by the ramp. */
  readonly rate?: number;
}

export interface BenchScenario {
  /** The loadgen scenario's name (`pnpm loadgen --list`). */
  readonly scenario: string;
  /** Scenario options (without dashes) for this run; unknown options make the scenario skipped. */
  readonly options?: (isolation: BenchIsolation) => Readonly<Record<string, ScenarioOptionValue>>;
  readonly objective: BenchObjective;
  readonly ramp: BenchRamp;
  /** Bytes of one message on Kafka: the Kafka baseline runs at this record size. */
  readonly messageBytes: number;
  /**
   * `http`: each operation enters over HTTP, so the bench also ramps the loadgen's `http-roundtrip`
   * (a no-op server) at this objective: the floor no HTTP pipeline on this machine can beat.
   */
  readonly ingress?: 'http';
  readonly stateSize?: BenchStateSize;
}

export interface BenchPlan {
  /** The demo pipeline's name (`pnpm demo --list`); also what `pnpm bench <name>` selects. */
  readonly pipeline: string;
  /** Which of the demo's services to start, in the demo's order (leave out live data generators). */
  readonly services: readonly string[];
  /** Extra environment for every service (isolation variables, faster triggers, …). */
  readonly env?: (isolation: BenchIsolation) => Readonly<Record<string, string>>;
  /** Replaces the demo's prepare, so topics are created under the isolation prefix. */
  readonly prepare?: (infra: DemoInfrastructure, isolation: BenchIsolation) => Promise<void>;
  /** Consumer groups whose lag is summed at the end of each step. */
  readonly consumerGroups: (isolation: BenchIsolation) => readonly string[];
  readonly scenarios: readonly BenchScenario[];
  /** Run the ramp of the first scenario again with services on KAFKA_CLIENT=kafkajs vs platformatic. */
  readonly clientComparison?: boolean;
}

/** Identity function that checks a plan's type where it is written. */
export function defineBenchPlan(plan: BenchPlan): BenchPlan {
  return plan;
}
