export { type AppModules, discoverAppModules } from './app-modules.ts';
export {
  type AppServiceOptions,
  appService,
  listenEnv,
  localUrl,
  secretOrDemoDefault,
} from './app-service.ts';
export { type CliArgs, parseCliArgs, usage } from './cli-args.ts';
export { type DemoConfig, loadDemoConfig } from './config.ts';
export { type DiscoveredPipeline, type Discovery, defaultAppsRoot, discoverPipelines } from './discovery.ts';
export { DemoError, DuplicatePipelineError, InvalidPipelineError, ServiceStartError } from './errors.ts';
export { createDemoOutput, type DemoOutput } from './output.ts';
export { formatPipelineList } from './pipeline-list.ts';
export { builtinPipelines } from './pipelines/builtin.ts';
export { createHelloPipeline } from './pipelines/hello/pipeline.ts';
export { waitUntilReady } from './readiness.ts';
export { infrastructureEnv, type RunDemoDependencies, runDemo, type StopRequests } from './run-demo.ts';
export {
  describeExit,
  type ServiceExit,
  type ServiceProcess,
  startServiceProcess,
} from './service-process.ts';
export { stopServices } from './stop-services.ts';
export type {
  DemoInfrastructure,
  DemoPipeline,
  DemoService,
  InfrastructureNeed,
  ReadyCondition,
} from './types.ts';
export { infrastructureNeeds } from './types.ts';
export { formatUrlBox, type UrlRow } from './url-box.ts';
export { parsePipeline } from './validate-pipeline.ts';
