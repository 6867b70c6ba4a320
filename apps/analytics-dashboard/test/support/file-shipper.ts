// The shipper service (as `pnpm demo dashboard` starts it: its file input tailing one file, and its
// HTTP input) onto a sink test environment's topics.
import { appendFile } from 'node:fs/promises';
import { join } from 'node:path';
import { env as configEnv, loadConfig } from '@streamkit/config';
import { startService } from '@streamkit/runtime';
import { demoShipperApiKey } from '../../src/demo.ts';
import { shipperService } from '../../src/shipper/service.ts';
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
  // the key `pnpm loadgen dashboard` sends: SHIPPER_API_KEY, else the demo's
  const apiKey =
    loadConfig({ apiKey: configEnv.secret('SHIPPER_API_KEY', { optional: true }) }).apiKey ??
    demoShipperApiKey;
  const shipper = await startService(shipperService, {
    env: {
      KAFKA_BROKERS: env.kafkaBrokers.join(','),
      KAFKA_TOPIC_PREFIX: env.prefix,
      SHIPPER_API_KEY: apiKey,
      SHIPPER_FILES: file,
      SHIPPER_CHECKPOINT_FILE: join(dir, 'checkpoints.json'),
      SHIPPER_LOG_HOST: host,
      SHIPPER_POLL_MS: '20',
      SHIPPER_MAX_BATCH_LINES: '500',
      SHIPPER_BODY_LIMIT_BYTES: String(4 * 1024 * 1024),
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
    },
  });
  return { file, url: shipper.address, apiKey, stop: () => shipper.stop() };
}
