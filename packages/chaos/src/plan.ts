/**
 * What an app declares for `pnpm chaos` (`"streamkit": { "chaos": "./src/chaos.ts" }`, default
 * export): its services (each instance on ports the run gives it), the loadgen scenario that drives
 * it, what its Redis holds, and how its outputs are compared with what the ingress accepted.
 */
import type { DemoInfrastructure, DemoService, InfrastructureNeed } from '@streamkit/demo';
import type { Scenario } from '@streamkit/loadgen';

export type ChaosOptionValue = string | number | boolean;

export interface ChaosServiceSpec {
  readonly name: string;
  /** A processor in a consumer group: the run starts a second replica of it and stops it again. */
  readonly replicable?: boolean;
  /**
   * One instance whose HTTP (or metrics) port is `port`; `replica` is 0 for the first instance.
   * Its `ready` condition must use `port`: several runs and demos share the machine.
   */
  instance(port: number, replica: number): DemoService;
}

/** What Redis holds for the pipeline, and so which Redis fault the run injects. */
export interface ChaosRedisRole {
  /** One line: which key families, and what they are to the pipeline. */
  readonly holds: string;
  /**
   * `durable`: state that cannot be rebuilt, so Redis must keep it (append-only file, fsync always):
   * the fault is `kill -9` of redis-server and the run shows every sampled key survived.
   * `rebuilt`: state the pipeline rebuilds from Kafka/PostgreSQL: the fault deletes Redis's data and
   * the outputs must still equal the reference.
   */
  readonly onLoss: 'durable' | 'rebuilt';
}

/** What the load generator made of each operation. */
export interface AcceptedLoad {
  /** The loadgen run id (scenarios put it into event ids). */
  readonly runId: string;
  /** Operations the ingress accepted (their send resolved). */
  readonly accepted: ReadonlySet<number>;
  /** Operations the ingress refused or never answered: the client does not know their outcome. */
  readonly refused: ReadonlySet<number>;
}

/** One output compared with the reference computed from the accepted operations. */
export interface OutputCheck {
  /** e.g. "decisions on payments.decisions" */
  readonly output: string;
  /** What the reference says, e.g. "exactly one per accepted payment". */
  readonly expectation: string;
  /** Reference entries (usually the accepted operations) this output was compared against. */
  readonly expected: number;
  readonly lost: number;
  readonly duplicated: number;
  /** Anything else worth a line (e.g. refused yet processed), not counted as a failure. */
  readonly notes?: readonly string[];
}

export interface ChaosVerifyContext {
  readonly infra: DemoInfrastructure;
  readonly load: AcceptedLoad;
  readonly log: (line: string) => void;
  /** Give up reading outputs after this. */
  readonly signal: AbortSignal;
}

export interface ChaosPlan {
  /** `pnpm chaos <pipeline>` selects it by this name (the demo's). */
  readonly pipeline: string;
  readonly needs: readonly InfrastructureNeed[];
  readonly redis?: ChaosRedisRole;
  /** Migrations and topics, on the run's private infrastructure. */
  readonly prepare?: (infra: DemoInfrastructure) => Promise<void>;
  /** Removes what `prepare` made outside the private infrastructure (files); called once, at the end. */
  readonly cleanup?: () => Promise<void>;
  /** Started in this order (one instance each), stopped in reverse. */
  readonly services: readonly ChaosServiceSpec[];
  readonly scenario: Scenario;
  /** Scenario options; `ports` maps each service name to its first instance's port. */
  readonly scenarioOptions?: (
    ports: Readonly<Record<string, number>>,
  ) => Readonly<Record<string, ChaosOptionValue>>;
  /** Offered operations per second unless --rate says otherwise. */
  readonly defaultRate: number;
  /**
   * Compares the outputs with the reference: the recorded check once every service has stopped;
   * before the stop it is also called (its log silenced) until nothing is lost, so it must only read.
   */
  verify(context: ChaosVerifyContext): Promise<readonly OutputCheck[]>;
}

/** A note naming up to five ids, so a loss can be looked up in the logs and topics. */
export function sampleNote(what: string, ids: readonly string[]): string[] {
  if (ids.length === 0) return [];
  return [`${what}: ${ids.slice(0, 5).join(', ')}${ids.length > 5 ? `, … (${ids.length})` : ''}`];
}

/** Identity function that checks a plan's type where it is written. */
export function defineChaosPlan(plan: ChaosPlan): ChaosPlan {
  return plan;
}
