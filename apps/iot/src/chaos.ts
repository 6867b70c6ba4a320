// `pnpm chaos iot`: the IoT pipeline under seeded faults (registered in package.json).
import { mkdtempSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import {
  type ChaosPlan,
  type ChaosServiceSpec,
  type OutputCheck,
  readWholeTopic,
  sampleNote,
} from '@streamkit/chaos';
import { iotTopics } from './common/topics.ts';
import { demoHubAdminKey, pipelineService, preparePipeline } from './demo.ts';
import { iotLakeScenario } from './loadgen/iot-lake-scenario.ts';

/** The run's own lake (one chaos run per process), made by prepare, deleted after verify. */
let lakeDir = '';

function service(name: 'hub' | 'processor', replicable: boolean): ChaosServiceSpec {
  return {
    name,
    replicable,
    instance: (port: number, replica: number) =>
      pipelineService(name, port, {
        env: () => ({
          LAKE_DIR: lakeDir,
          HUB_ADMIN_KEY: demoHubAdminKey,
          ...(name === 'hub'
            ? // a stable MQTT client id: a restarted hub resumes its session's unacknowledged readings
              { PORT: String(port), HOST: '127.0.0.1', INSTANCE_ID: `chaos-hub-${replica}` }
            : {
                METRICS_PORT: String(port),
                PROCESSOR_INSTANCE_ID: `chaos-processor-${replica}`,
                PROCESSOR_TRIGGER_INTERVAL_MS: '2000',
              }),
        }),
        readyTimeoutMs: 120_000,
      }),
  };
}

export default {
  pipeline: 'iot',
  needs: ['kafka', 'postgres', 'mqtt'],
  async prepare(infra) {
    lakeDir = mkdtempSync(join(tmpdir(), 'streamkit-chaos-lake-'));
    await preparePipeline(infra);
  },
  // the demo's hub and processor; the analytics reader and the simulated fleet are left out
  services: [service('hub', false), service('processor', true)],
  scenario: iotLakeScenario,
  scenarioOptions: (ports) => ({
    'hub-url': `http://127.0.0.1:${ports.hub}`,
    'lake-dir': lakeDir,
    devices: 200,
  }),
  defaultRate: 100,
  cleanup: () => rm(lakeDir, { recursive: true, force: true }),
  async verify({ infra, load, signal }): Promise<OutputCheck[]> {
    // device ids carry the run id and each reading's seq is its operation (iot-lake-scenario.ts)
    const instance = await DuckDBInstance.create(':memory:', { threads: '1' });
    const counts = new Map<number, number>();
    // a duplicate either has one Kafka record twice in the lake (the processor wrote it twice) or
    // was produced to Kafka twice (distinct offsets): the two need different fixes
    let sameRecord = 0;
    let distinctRecords = 0;
    try {
      const connection = await instance.connect();
      const result = await connection.runAndReadAll(
        `SELECT seq, count(*), count(DISTINCT (kafka_partition, kafka_offset))
         FROM read_parquet('${lakeDir}/raw/**/*.parquet', hive_partitioning = false)
         WHERE starts_with(device_id, 'lgl-${load.runId}-') GROUP BY seq`,
      );
      for (const [seq, n, records] of result.getRows()) {
        counts.set(Number(seq), Number(n));
        sameRecord += Number(n) - Number(records);
        distinctRecords += Number(records) - 1;
      }
      connection.closeSync();
    } finally {
      instance.closeSync();
    }
    const accepted = [...load.accepted];
    const missing = accepted.filter((op) => !counts.has(op));
    const refusedStored = [...load.refused].filter((op) => counts.has(op)).length;
    // a lost reading either never reached Kafka (device → broker → hub) or did and missed the lake
    const inKafka = new Set<number>();
    if (missing.length > 0) {
      const ownPrefix = `lgl-${load.runId}-`;
      await readWholeTopic({
        brokers: infra.kafkaBrokers,
        topic: iotTopics().telemetry.name,
        signal,
        onValue(raw) {
          const value = JSON.parse(raw.toString('utf8')) as { deviceId: string; seq: number };
          if (value.deviceId.startsWith(ownPrefix)) inKafka.add(value.seq);
        },
      });
    }
    const missingInKafka = missing.filter((op) => inKafka.has(op));
    return [
      {
        output: 'readings in the Parquet lake (raw)',
        expectation: 'every accepted reading exactly once',
        expected: accepted.length,
        lost: missing.length,
        duplicated: [...counts.values()].reduce((sum, n) => sum + Math.max(0, n - 1), 0),
        notes: [
          ...sampleNote(
            'accepted, not in the lake (seq)',
            missing.map((op) => String(op)),
          ),
          ...(missing.length > 0
            ? [
                `of the lost: ${missingInKafka.length} reached ${iotTopics().telemetry.name} (not the lake), ${missing.length - missingInKafka.length} never reached Kafka`,
              ]
            : []),
          ...(sameRecord + distinctRecords > 0
            ? [
                `duplicates: ${sameRecord} of one Kafka record written again, ${distinctRecords} of a reading produced to Kafka more than once`,
              ]
            : []),
          ...(refusedStored > 0
            ? [`${refusedStored} readings whose publish failed are in the lake anyway`]
            : []),
        ],
      },
    ];
  },
} satisfies ChaosPlan;
