import { randomUUID } from 'node:crypto';
import { env } from '@streamkit/config';
import { createKafka } from '@streamkit/kafka';
import { defineService, postgresCheck } from '@streamkit/runtime';
import { acquireDatabase } from '../common/service-resources.ts';
import { processorEnv, processorSettings } from '../processor/config.ts';
import { runBackfill } from './backfill.ts';

/**
 * The backfill command: generated readings through Kafka → processor → lake on topics of its own,
 * checked against a reference computed from the input; it stops when done (exit 1 on a mismatch).
 */
export const backfillService = defineService({
  name: 'iot-backfill',
  config: {
    ...processorEnv,
    readings: env.int('BACKFILL_READINGS', { default: 1_000_000, min: 2 }),
    devices: env.int('BACKFILL_DEVICES', { default: 1000, min: 1 }),
    /** Its /metrics + /health while it runs (default: a free port, beside a running processor). */
    metricsPort: env.port('BACKFILL_METRICS_PORT', { default: 0, allowZero: true }),
  },
  checkConfig: ({ readings, devices }) =>
    readings >= 2 * devices ? [] : [`BACKFILL_READINGS (${readings}) must be at least 2 × BACKFILL_DEVICES`],
  async start(context) {
    const { config, watch, logger } = context;
    const { readings, devices } = config;
    const pool = await acquireDatabase(context, 3);
    const kafka = createKafka({
      brokers: config.kafkaBrokers,
      client: config.kafkaClient,
      clientId: `${config.kafkaClientId}-backfill`,
      logger,
    });
    const runId = `bf-${randomUUID().slice(0, 8)}`;
    const started = performance.now();
    // the command's report, on stdout
    const line = (text: string) =>
      console.log(`[${((performance.now() - started) / 1000).toFixed(1).padStart(6)} s] ${text}`);

    async function backfill(): Promise<void> {
      line(
        `backfill ${runId}: ${readings.toLocaleString('en')} readings, ${devices.toLocaleString('en')} devices, lake ${config.lakeDir}`,
      );
      const result = await runBackfill(
        { kafka, pool, lakeDir: config.lakeDir, logger, progress: line },
        {
          runId,
          topicPrefix: `${config.topicPrefix}${runId}.`,
          readings,
          devices,
          partitions: config.telemetryPartitions,
          startMs: Date.parse('2026-01-01T00:00:00Z'),
          progressEvery: Math.max(10_000, Math.round(readings / 20)),
          processor: processorSettings(config),
        },
      );
      const rate = (n: number, s: number) => `${Math.round(n / s).toLocaleString('en')} readings/s`;
      line(
        `produce to Kafka: ${result.produceSeconds.toFixed(1)} s (${rate(readings, result.produceSeconds)})`,
      );
      line(
        `Kafka → lake:     ${result.processSeconds.toFixed(1)} s (${rate(readings, result.processSeconds)})`,
      );
      const phases = Object.entries(result.phaseMs).map(([k, ms]) => `${k} ${(ms / 1000).toFixed(1)} s`);
      line(`micro-batch phases: ${phases.join(', ')}`);
      line(
        `lake raw rows ${result.lakeRawRows.toLocaleString('en')}, late ${result.lateReadings}, closed windows ${result.windows.toLocaleString('en')}`,
      );
      if (result.mismatches.length === 0 && result.lakeRawRows === readings) {
        line('lake aggregates equal the reference exactly');
        return;
      }
      line('MISMATCH between the lake and the reference:');
      for (const m of result.mismatches) line(`  ${m}`);
      if (result.lakeRawRows !== readings) line(`  raw rows ${result.lakeRawRows} ≠ readings ${readings}`);
      throw new Error('the lake differs from the reference');
    }
    watch('backfill', backfill(), { stopWhenDone: true });
    return { metrics: { port: config.metricsPort, checks: { postgres: postgresCheck(pool) } } };
  },
});
