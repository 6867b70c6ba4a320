// `pnpm --filter @streamkit/iot backfill --readings 1000000 [--devices 1000]`: generated readings
// through Kafka → processor → lake, checked against a reference computed from the input.
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { loadConfig } from '@streamkit/config';
import { createKafka } from '@streamkit/kafka';
import { createPool } from '@streamkit/postgres';
import { createConsoleLogger } from '@streamkit/runtime';
import { migrate } from '../db/migrate.ts';
import { defaultAnomalySettings } from '../processor/anomaly.ts';
import { processorEnv } from '../processor/config.ts';
import { runBackfill } from './backfill.ts';

const { values } = parseArgs({
  options: {
    readings: { type: 'string', default: '1000000' },
    devices: { type: 'string', default: '1000' },
  },
});
const readings = Number(values.readings);
const devices = Number(values.devices);
if (!Number.isInteger(readings) || !Number.isInteger(devices) || devices < 1 || readings < 2 * devices) {
  console.error('usage: backfill --readings N --devices D   (integers, N >= 2·D)');
  process.exit(2);
}

const config = loadConfig(processorEnv);
const logger = createConsoleLogger('warn');
const kafka = createKafka({
  brokers: config.kafkaBrokers,
  client: config.kafkaClient,
  clientId: `${config.kafkaClientId}-backfill`,
  logger,
});
const pool = createPool(config.databaseUrl, { max: 3 });
const runId = `bf-${randomUUID().slice(0, 8)}`;
const started = performance.now();
const line = (text: string) =>
  console.log(`[${((performance.now() - started) / 1000).toFixed(1).padStart(6)} s] ${text}`);
try {
  await migrate(pool);
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
      processor: {
        trigger: { intervalMs: config.triggerIntervalMs, maxRecords: config.triggerMaxRecords },
        windowMs: config.windowMs,
        allowedLatenessMs: config.allowedLatenessMs,
        anomaly: { ...defaultAnomalySettings, zThreshold: config.zThreshold },
        maxRunSize: config.maxRunSize,
        partitionsConsumedConcurrently: config.partitionsConsumedConcurrently,
        sessionTimeoutMs: config.sessionTimeoutMs,
      },
    },
  );
  const rate = (n: number, s: number) => `${Math.round(n / s).toLocaleString('en')} readings/s`;
  line(`produce to Kafka: ${result.produceSeconds.toFixed(1)} s (${rate(readings, result.produceSeconds)})`);
  line(`Kafka → lake:     ${result.processSeconds.toFixed(1)} s (${rate(readings, result.processSeconds)})`);
  const phases = Object.entries(result.phaseMs).map(([k, ms]) => `${k} ${(ms / 1000).toFixed(1)} s`);
  line(`micro-batch phases: ${phases.join(', ')}`);
  line(
    `lake raw rows ${result.lakeRawRows.toLocaleString('en')}, late ${result.lateReadings}, closed windows ${result.windows.toLocaleString('en')}`,
  );
  const exact = result.mismatches.length === 0 && result.lakeRawRows === readings;
  if (exact) line('lake aggregates equal the reference exactly');
  else {
    line('MISMATCH between the lake and the reference:');
    for (const m of result.mismatches) line(`  ${m}`);
    if (result.lakeRawRows !== readings) line(`  raw rows ${result.lakeRawRows} ≠ readings ${readings}`);
  }
  process.exitCode = exact ? 0 : 1;
} catch (error) {
  console.error('backfill failed:', error);
  process.exitCode = 1;
} finally {
  await pool.end();
}
