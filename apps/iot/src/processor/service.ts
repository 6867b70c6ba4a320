import { consumerHealthChecks } from '@streamkit/kafka';
import { defineService, scheduleRetention } from '@streamkit/runtime';
import { createPipelineMetrics } from '@streamkit/telemetry';
import { acquireDatabase, acquireKafka } from '../common/service-resources.ts';
import { processorEnv, processorSettings } from './config.ts';
import { createProcessor } from './processor.ts';
import { createProcessorMetrics } from './processor-metrics.ts';
import { pruneProcessorData } from './retention.ts';
import { processorRetentionEnv } from './retention-config.ts';

/**
 * The micro-batch processor: telemetry from Kafka → Parquet lake (raw readings, closed windows,
 * alerts) + live windows in Postgres + alerts to Kafka.
 */
export const processorService = defineService({
  name: 'iot-processor',
  config: { ...processorEnv, ...processorRetentionEnv },
  async start(context) {
    const { config, acquire, watch, logger, registry } = context;
    // the micro-batches' connections, and one the periodic prune holds while it runs
    const pool = await acquireDatabase(context, 4);
    const { kafka, admin, topics } = await acquireKafka(context, config.kafkaClientId, [
      'telemetry',
      'alerts',
    ]);
    await scheduleRetention(context, {
      intervalMs: config.retentionIntervalMs,
      prune: (signal) =>
        pruneProcessorData(
          pool,
          {
            lakeDir: config.lakeDir,
            lake: {
              raw: config.lakeRawRetentionMs,
              windows: config.lakeWindowsRetentionMs,
              alerts: config.lakeAlertsRetentionMs,
            },
            liveWindowsRetentionMs: config.liveWindowsRetentionMs,
            lateCountsRetentionMs: config.lateCountsRetentionMs,
            batchRows: config.retentionBatchRows,
          },
          signal,
        ),
    });
    const processor = createProcessor({
      kafka,
      pool,
      topics,
      lakeDir: config.lakeDir,
      settings: processorSettings(config),
      metrics: createPipelineMetrics(registry),
      processorMetrics: createProcessorMetrics(registry),
      logger,
    });
    // acquired last so it stops first: the micro-batch in flight finishes and commits
    await acquire(
      'processor',
      () => processor.start(),
      () => processor.stop(),
    );
    watch('processor', processor.done);
    logger.info('processor consuming', { topic: topics.telemetry.name, lake: config.lakeDir });
    return {
      metrics: {
        port: config.metricsPort,
        // degraded while readings wait for the lake's disk or PostgreSQL
        checks: consumerHealthChecks({ admin, postgres: pool, consumer: processor }),
      },
    };
  },
});
