/** The bench run as plain data: what results.json holds and what BENCHMARKS.md is rendered from. */
import type { ConsumerPerfResult, EndToEndResult, ProducerPerfResult } from './kafka-perf.ts';
import type { BenchObjective } from './plan.ts';
import type { StepRecord } from './step.ts';
import type { WrkBaseline } from './wrk-baseline.ts';

export interface MachineInfo {
  readonly cpuModel: string;
  readonly cores: number;
  readonly memoryGiB: number;
  readonly os: string;
  readonly node: string;
  readonly kafka: string;
  /** 1/5/15-minute load averages when the run started. */
  readonly loadAverage: readonly number[];
}

export interface StateSizeResult {
  readonly option: string;
  readonly unit: string;
  readonly rate: number;
  readonly steps: readonly StepRecord[];
  /** File name of the plot, relative to the results directory. */
  readonly plot?: string;
}

export interface ScenarioResult {
  readonly scenario: string;
  readonly objective: BenchObjective;
  readonly messageBytes: number;
  /** `http` when its operations enter over HTTP (the summary then shows the HTTP floor). */
  readonly ingress?: 'http';
  readonly ramp: readonly StepRecord[];
  /** Highest passing offered rate; undefined when none passed. */
  readonly maxRate: number | undefined;
  readonly stateSize?: StateSizeResult;
  /** Parts left out, each with why. */
  readonly skipped: readonly string[];
}

export interface ClientComparison {
  /** What was compared, e.g. "kafka-roundtrip" or "fraud (services)". */
  readonly subject: string;
  readonly kafkajs?: number | undefined;
  readonly platformatic?: number | undefined;
  readonly skipped?: string;
  readonly steps: readonly StepRecord[];
}

/** The `http-roundtrip` ramp (no-op HTTP server + this load generator) at one latency objective. */
export interface HttpFloor {
  readonly p99Ms: number;
  /** Bytes of each POSTed JSON body. */
  readonly bodyBytes: number;
  /** Highest passing offered rate; undefined when none passed. */
  readonly maxRate: number | undefined;
  readonly skipped?: string;
  readonly steps: readonly StepRecord[];
  /** wrk against the same server with the same body: what the machine does without this generator. */
  readonly native?: WrkBaseline;
}

export interface PipelineResult {
  readonly pipeline: string;
  readonly services: readonly string[];
  readonly consumerGroups: readonly string[];
  readonly scenarios: readonly ScenarioResult[];
  readonly skipped: readonly string[];
}

export interface BaselineRow {
  readonly recordBytes: number;
  readonly producer?: ProducerPerfResult;
  readonly consumer?: ConsumerPerfResult;
  readonly endToEnd?: EndToEndResult;
  readonly skipped?: string;
}

export interface BenchResults {
  readonly startedAt: string;
  readonly endedAt: string;
  readonly command: string;
  readonly machine: MachineInfo;
  readonly settings: Readonly<Record<string, unknown>>;
  readonly pipelines: readonly PipelineResult[];
  readonly baseline: readonly BaselineRow[];
  readonly clients: readonly ClientComparison[];
  /** Absent in results of runs before the HTTP floor was measured. */
  readonly httpFloors?: readonly HttpFloor[];
  readonly notes: readonly string[];
  readonly interrupted: boolean;
}
