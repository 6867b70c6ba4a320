// The shipper's own main.ts as a child process, tailing one file onto a test's topics: what the
// crash tests kill with SIGKILL and start again on the same checkpoint file.
import { fileURLToPath } from 'node:url';
import { processEnvironment } from '@streamkit/config';
import type { ServiceProcess, ServiceProcesses } from '@streamkit/testkit';

const appDir = fileURLToPath(new URL('../..', import.meta.url));

export interface ShipperProcessSettings {
  readonly kafkaBrokers: readonly string[];
  readonly topicPrefix: string;
  /** The tailed log file and the checkpoint file a restart resumes from. */
  readonly file: string;
  readonly checkpointFile: string;
  /** The `host` of every line (the combined format does not name its server). */
  readonly logHost: string;
  /** More of the shipper's environment (SHIPPER_MAX_BATCH_LINES, LOGS_PARTITIONS…). */
  readonly env?: Readonly<Record<string, string>>;
}

export function startShipperProcess(
  processes: ServiceProcesses,
  settings: ShipperProcessSettings,
): ServiceProcess {
  return processes.start('src/shipper/main.ts', {
    cwd: appDir,
    env: processEnvironment({
      KAFKA_BROKERS: settings.kafkaBrokers.join(','),
      KAFKA_TOPIC_PREFIX: settings.topicPrefix,
      SHIPPER_FILES: settings.file,
      SHIPPER_CHECKPOINT_FILE: settings.checkpointFile,
      SHIPPER_API_KEY: 'shipper-process-test-key-0123',
      SHIPPER_LOG_HOST: settings.logHost,
      PORT: '0',
      ...settings.env,
    }),
  });
}
