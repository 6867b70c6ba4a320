// `pnpm bench iot`: how the benchmark suite loads this pipeline (registered in package.json).
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BenchIsolation, BenchPlan } from '@streamkit/bench';
import { preparePipeline } from './demo.ts';

/** The processor's trigger interval during the bench; the lake objective is two of them. */
const triggerIntervalMs = 2_000;
const telemetryPartitions = 3;

/** Each run writes its own lake, so files of earlier runs or the demo never count. */
const lakeDir = (isolation: BenchIsolation) =>
  join(tmpdir(), 'streamkit-bench', `${isolation.topicPrefix}lake`);

export default {
  pipeline: 'iot',
  // the demo's live `devices` are left out: the load is the scenarios' alone
  services: ['hub', 'processor', 'analytics'],
  env: (isolation) => ({
    KAFKA_TOPIC_PREFIX: isolation.topicPrefix,
    MQTT_TOPIC_PREFIX: isolation.mqttTopicPrefix,
    PROCESSOR_GROUP_ID: `${isolation.topicPrefix}iot-processor`,
    PROCESSOR_TRIGGER_INTERVAL_MS: String(triggerIntervalMs),
    TELEMETRY_PARTITIONS: String(telemetryPartitions),
    LAKE_DIR: lakeDir(isolation),
  }),
  prepare: (infra, isolation) => preparePipeline(infra, isolation.topicPrefix, telemetryPartitions),
  consumerGroups: (isolation) => [`${isolation.topicPrefix}iot-processor`],
  scenarios: [
    {
      scenario: 'iot',
      options: (isolation) => ({
        'topic-prefix': isolation.topicPrefix,
        'mqtt-topic-prefix': isolation.mqttTopicPrefix,
        // one event loop publishes ~10,000/s: forked publishers keep the generator off the limit
        publishers: 3,
      }),
      objective: {
        p99Ms: 1_000,
        text: 'p99 < 1 s',
        target: 'hub MQTT → Kafka, no latency bound',
        targetRate: 50_000,
        informational: true,
      },
      ramp: { startRate: 100, maxRate: 51_200 },
      // a reading as JSON on iot.telemetry
      messageBytes: 150,
    },
    {
      scenario: 'iot-lake',
      options: (isolation) => ({
        'mqtt-topic-prefix': isolation.mqttTopicPrefix,
        'lake-dir': lakeDir(isolation),
      }),
      objective: {
        p99Ms: 2 * triggerIntervalMs,
        text: `p99 < ${2 * triggerIntervalMs} ms (2 trigger intervals of ${triggerIntervalMs} ms)`,
        target: 'IoT lake visibility within two trigger intervals',
      },
      ramp: { startRate: 100, maxRate: 12_800 },
      messageBytes: 150,
      stateSize: { option: 'devices', unit: 'devices', values: [1_000, 10_000, 100_000] },
    },
  ],
} satisfies BenchPlan;
