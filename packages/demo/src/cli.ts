// `pnpm demo <pipeline>`: runs one pipeline's services as local processes (see README.md).
import { processEnvironment } from '@streamkit/config';
import { parseCliArgs, usage } from './cli-args.ts';
import { type DemoConfig, loadDemoConfig } from './config.ts';
import { defaultAppsRoot, discoverPipelines } from './discovery.ts';
import { createDemoOutput } from './output.ts';
import { formatPipelineList } from './pipeline-list.ts';
import { builtinPipelines } from './pipelines/builtin.ts';
import { runDemo, type StopRequests } from './run-demo.ts';
import type { ServiceProcess } from './service-process.ts';
import type { DemoInfrastructure, InfrastructureNeed } from './types.ts';

const EXIT_USAGE = 2;

/** SIGINT/SIGTERM become stop requests: the first stops gracefully, the second forces. */
function listenForStopRequests(): StopRequests {
  let first: (signal: string) => void = () => {};
  let second: (signal: string) => void = () => {};
  const requests = {
    first: new Promise<string>((resolve) => {
      first = resolve;
    }),
    second: new Promise<string>((resolve) => {
      second = resolve;
    }),
  };
  let count = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    count += 1;
    (count === 1 ? first : second)(signal);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return requests;
}

function provisionWith(config: DemoConfig, log: (line: string) => void) {
  return async (needs: readonly InfrastructureNeed[]): Promise<DemoInfrastructure> => {
    if (needs.length === 0) {
      return {
        kafkaBrokers: config.kafkaBrokers,
        databaseUrl: config.databaseUrl,
        redisUrl: config.redisUrl,
        mqttUrl: config.mqttUrl,
      };
    }
    // Loaded only when needed: testkit pulls in every infrastructure client.
    const { ensureInfrastructure } = await import('@streamkit/testkit');
    return ensureInfrastructure({ need: needs, log });
  };
}

async function main(argv: readonly string[]): Promise<number> {
  let args: ReturnType<typeof parseCliArgs>;
  try {
    args = parseCliArgs(argv);
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n\n${usage}`);
    return EXIT_USAGE;
  }
  if (args.help) {
    console.log(usage);
    return 0;
  }
  const config = loadDemoConfig();
  const discovery = await discoverPipelines({
    appsRoot: args.appsRoot ?? defaultAppsRoot(),
    builtins: builtinPipelines({ helloPort: config.helloPort, helloHost: config.helloHost }),
  });
  const found = discovery.pipelines.find((p) => p.pipeline.name === args.pipeline);
  if (found === undefined) {
    if (args.pipeline !== undefined) console.error(`unknown pipeline "${args.pipeline}"\n`);
    process.stdout.write(`${usage}\n\n${formatPipelineList(discovery)}`);
    return args.pipeline === undefined ? 0 : EXIT_USAGE;
  }

  const { pipeline } = found;
  const output = createDemoOutput({
    stdout: process.stdout,
    stderr: process.stderr,
    color: process.stdout.isTTY === true,
    serviceNames: pipeline.services.map((s) => s.name),
  });
  const started: ServiceProcess[] = [];
  // However the runner ends, no service it started may outlive it (they run in their own process groups).
  process.on('exit', () => {
    for (const service of started) service.signal('SIGKILL');
  });
  output.info(`running ${pipeline.name}: ${pipeline.description}`);
  return runDemo(pipeline, {
    provision: provisionWith(config, (line) => output.info(line)),
    parentEnv: processEnvironment(),
    output,
    stopRequests: listenForStopRequests(),
    readyTimeoutMs: config.readyTimeoutMs,
    stopTimeoutMs: config.stopTimeoutMs,
    onServiceStarted: (service) => started.push(service),
  });
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exit(1);
  },
);
