/**
 * @streamkit/loadgen: open-loop load generation with HDR latency histograms and reports.
 * Pipelines implement `Scenario` (see scenario.ts) and declare their scenarios in package.json
 * (`"streamkit": { "loadgenScenarios": "./src/loadgen/index.ts" }`); the CLI finds them.
 */
export { type Clock, createIntervalTicker, createMonotonicClock, type Ticker } from './clock.ts';
export { loadLoadgenEnvironment } from './environment.ts';
export { errorKindOf, LoadgenError, ScenarioDiscoveryError, ScenarioError, UsageError } from './errors.ts';
export {
  createLatencyHistogram,
  type LatencyHistogram,
  type LatencyPercentiles,
  type PercentilePoint,
} from './histogram.ts';
export {
  createHttpClient,
  type HttpClient,
  type HttpClientSettings,
  type HttpMethod,
  HttpRequestError,
} from './http-client.ts';
export { renderMarkdown, renderSummary } from './markdown.ts';
export type { PhaseCounts } from './operation-tracker.ts';
export type {
  BooleanOption,
  IntOption,
  NumberOption,
  OptionDef,
  OptionSpec,
  OptionValues,
  StringOption,
} from './options.ts';
export { createProgressReporter, type ProgressSink, type ProgressSnapshot } from './progress.ts';
export {
  createOpenLoopDriver,
  intendedSendTimeNs,
  type OpenLoopDriver,
  type OpenLoopHooks,
  type OpenLoopSettings,
} from './rate.ts';
export { createScenarioRegistry, discoverScenarios, type ScenarioRegistry } from './registry.ts';
export { buildReport, type LoadReport, reportDirectoryName } from './report.ts';
export { renderReportPlot, type WrittenReport, writeReportFiles } from './report-files.ts';
export {
  allCompleted,
  outcomeOf,
  type RunOutcome,
  runInRealTime,
} from './real-time-run.ts';
export type { PhaseResult, RunResult } from './run-result.ts';
export { validateRunSettings } from './run-settings.ts';
export { type RunDependencies, type RunRequest, runLoad } from './runner.ts';
export {
  type Completion,
  defineScenario,
  type LoadgenEnvironment,
  type RunSettings,
  type Scenario,
  type ScenarioContext,
  type ScenarioRun,
} from './scenario.ts';
export { type ScenarioOptionValue, scenarioOptions, UnsupportedOptionError } from './scenario-options.ts';
export { type HttpSinkServer, startHttpSinkServer } from './scenarios/http-roundtrip.ts';
export { builtInScenarios } from './scenarios/index.ts';
export { renderLatencyPlot } from './svg-plot.ts';
