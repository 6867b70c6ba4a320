// Process entry of the log generator: appends access-log lines to a file at a rate, rotating it.
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { describeConfig, loadConfig } from '@streamkit/config';
import {
  createConsoleLogger,
  createGracefulShutdown,
  createServiceRegistry,
  startObservabilityServer,
} from '@streamkit/runtime';
import { Counter } from 'prom-client';
import { loggenEnv } from './config.ts';
import { createLineSource } from './line-source.ts';
import { createLogWriter } from './log-writer.ts';
import { startRateWriter } from './rate-writer.ts';

const config = loadConfig(loggenEnv);
const logger = createConsoleLogger('info');
logger.info(`loggen starting ${JSON.stringify(describeConfig(loggenEnv, config))}`);

const registry = createServiceRegistry('dashboard-loggen');
const linesWritten = new Counter({
  name: 'loggen_lines_written_total',
  help: 'access-log lines appended to the file',
  registers: [registry],
});
await mkdir(dirname(config.file), { recursive: true });
const writer = createLogWriter({
  path: config.file,
  rotateAtBytes: config.rotateAtBytes,
  rotation: config.rotation,
  keep: config.keep,
});
const lineAt = createLineSource(config);
const running = startRateWriter(writer, lineAt, { rate: config.rate, onWritten: (n) => linesWritten.inc(n) });
const server = await startObservabilityServer({ port: config.metricsPort, registry });

const shutdown = createGracefulShutdown({ logger });
shutdown.add('metrics', () => server.close());
shutdown.add('writer', () => running.stop());
running.done.catch((error: unknown) => {
  logger.error(`writing failed: ${(error as Error).message}`);
  void shutdown.shutdown('writing failed');
});
logger.info(`loggen writing ${config.rate} lines/s to ${config.file}; metrics on ${server.address}/metrics`);
