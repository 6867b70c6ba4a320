// The shipper in process (its file input tailing one file, and its HTTP input) onto a sink test
// environment's topics.
import { appendFile } from 'node:fs/promises';
import { join } from 'node:path';
import { env as configEnv, loadConfig } from '@streamkit/config';
import { createProducer } from '@streamkit/kafka';
import { createServiceRegistry } from '@streamkit/runtime';
import { createPipelineMetrics } from '@streamkit/telemetry';
import { demoShipperApiKey } from '../../src/demo.ts';
import { buildShipperApp } from '../../src/shipper/app.ts';
import { openCheckpointStore } from '../../src/shipper/checkpoint-store.ts';
import { startFileInputs } from '../../src/shipper/file-inputs.ts';
import { createLineSender } from '../../src/shipper/line-sender.ts';
import { createUserAgentClassifier } from '../../src/shipper/user-agents.ts';
import type { SinkTestEnv } from './sink-harness.ts';

export interface FileShipper {
  /** the tailed log file (created empty) */
  readonly file: string;
  /** `POST /logs` of the same shipper */
  readonly url: string;
  readonly apiKey: string;
  stop(): Promise<void>;
}

export async function startFileShipper(env: SinkTestEnv, dir: string, host: string): Promise<FileShipper> {
  const file = join(dir, 'access.log');
  await appendFile(file, '');
  const registry = createServiceRegistry(`${env.name}-shipper`, { defaultMetrics: false });
  const metrics = createPipelineMetrics(registry);
  const producer = await createProducer(env.kafka, { metrics, lingerMs: 1 });
  const agents = createUserAgentClassifier();
  const sender = createLineSender({ producer, topics: env.topics, agents, metrics, defaultHost: host });
  // the key `pnpm loadgen dashboard` sends: SHIPPER_API_KEY, else the demo's
  const apiKey =
    loadConfig({ apiKey: configEnv.secret('SHIPPER_API_KEY', { optional: true }) }).apiKey ??
    demoShipperApiKey;
  const app = await buildShipperApp(
    { sender, topics: env.topics, agents, registry, metrics, producer, defaultHost: host, checks: {} },
    { apiKey, bodyLimitBytes: 4 * 1024 * 1024, maxLinesPerRequest: 5000, maxInFlightRequests: 8 },
  );
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  const inputs = startFileInputs(sender, await openCheckpointStore(join(dir, 'checkpoints.json')), {
    paths: [file],
    pollIntervalMs: 20,
    maxBatchLines: 500,
    readChunkBytes: 64 * 1024,
  });
  return {
    file,
    url,
    apiKey,
    async stop() {
      await inputs.stop();
      // closing the app disconnects the producer it was given
      await app.close();
    },
  };
}
