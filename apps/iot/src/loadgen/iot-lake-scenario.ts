/**
 * `pnpm loadgen iot-lake`: readings published over MQTT (QoS 1) on the open-loop schedule, as many
 * simulated devices; latency runs from each reading's intended send time to the reading being
 * queryable in the lake: the processor's raw Parquet file holding it is in place (renamed there
 * once durable) and a DuckDB query of that file returns the reading. The objective: p99 within
 * two trigger intervals of the processor (`PROCESSOR_TRIGGER_INTERVAL_MS`, 2 s in `pnpm demo iot`).
 */
import { fileURLToPath } from 'node:url';
import { defineScenario } from '@streamkit/loadgen';
import { startLakeWatcher } from './lake-watcher.ts';
import { loadDeviceOptions, startLoadDevices } from './load-devices.ts';

const demoLakeDir = fileURLToPath(new URL('../../data/lake', import.meta.url));

const options = {
  ...loadDeviceOptions,
  'lake-dir': {
    type: 'string',
    default: demoLakeDir,
    description: "the processor's LAKE_DIR (default: the one of `pnpm demo iot`)",
  },
  'poll-ms': {
    type: 'int',
    default: 50,
    min: 1,
    max: 10_000,
    description: 'how often the lake directory is listed for new files',
  },
} as const;

export const iotLakeScenario = defineScenario({
  name: 'iot-lake',
  description:
    'readings over MQTT through hub, Kafka and processor, latency until queryable in the Parquet lake',
  options,
  async setup(ctx) {
    const { runId, clock, environment } = ctx;
    const o = ctx.options;
    // device ids carry the run id, so this run's rows are told apart from the simulator's
    const ownPrefix = `lgl-${runId}-`;
    const devices = await startLoadDevices(ctx, {
      idPrefix: ownPrefix,
      clientId: `loadgen-iot-lake-${runId}`,
    });

    const watcher = await startLakeWatcher({
      lakeDir: o['lake-dir'],
      devicePrefix: ownPrefix,
      pollMs: o['poll-ms'],
      now: () => clock.nowNs(),
      // seq carries the operation number
      onRows: (rows, seenAt) => {
        for (const row of rows) ctx.recordLatency({ operation: row.seq, endNs: seenAt });
      },
      onError: (error) => {
        ctx.recordError('lake-read');
        ctx.log(`reading the lake failed: ${error instanceof Error ? error.message : String(error)}`);
      },
    });

    ctx.log(`publishing to ${environment.mqttUrl}, watching ${o['lake-dir']}/raw`);

    return {
      send: (operation, intendedAtNs) => devices.publish(operation, intendedAtNs),
      async teardown() {
        await devices.close();
        await watcher.stop();
      },
    };
  },
});
