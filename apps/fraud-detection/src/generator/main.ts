// The payment generator: `history` writes labelled history to Postgres, `live` streams to the
// gateway until SIGTERM/SIGINT (see README.md). Exits non-zero on any failure.
import { loadConfig } from '@streamkit/config';
import { createPool } from '@streamkit/postgres';
import {
  createConsoleLogger,
  createGracefulShutdown,
  createServiceRegistry,
  startObservabilityServer,
} from '@streamkit/runtime';
import { createPipelineMetrics } from '@streamkit/telemetry';
import { migrate } from '../db/migrate.ts';
import { parseGeneratorArgs, USAGE } from './cli-args.ts';
import { generatorConfigSpec } from './config.ts';
import { GeneratorSettingsError } from './errors.ts';
import { countHistory, writeHistory } from './history-store.ts';
import { createLiveSender } from './live-sender.ts';
import { liveStream } from './live-stream.ts';
import { generatePayments } from './stream.ts';

const command = (() => {
  try {
    return parseGeneratorArgs(process.argv.slice(2));
  } catch (error) {
    console.error((error as Error).message);
    console.error(USAGE);
    process.exit(2);
  }
})();
const config = loadConfig(generatorConfigSpec);
const log = (line: string) => console.log(line);

if (command.mode === 'history') {
  const pool = createPool(config.databaseUrl, { max: 2 });
  try {
    await migrate(pool);
    const started = performance.now();
    const payments = generatePayments(command);
    const fraud = payments.filter((p) => p.isFraud).length;
    log(
      `generated ${payments.length} payments (${fraud} fraud) for ${command.cards} cards over ${command.days} days, seed ${command.seed}`,
    );
    const result = await writeHistory(pool, payments);
    const total = await countHistory(pool);
    log(
      `history: ${result.inserted} inserted, ${result.skipped} already there; table holds ${total.payments} (${total.fraud} fraud) — ${Math.round(performance.now() - started)} ms`,
    );
  } catch (error) {
    console.error(`generator failed: ${(error as Error).message}`);
    process.exitCode = 1;
  } finally {
    await pool.end();
  }
} else {
  if (config.gatewayApiKey === undefined)
    throw new GeneratorSettingsError(['GATEWAY_API_KEY is required in live mode']);
  const registry = createServiceRegistry('fraud-generator');
  const metrics = createPipelineMetrics(registry);
  const sender = createLiveSender(
    {
      gatewayUrl: config.gatewayUrl,
      apiKey: config.gatewayApiKey,
      ratePerSecond: command.rate,
      maxInFlight: command.maxInFlight,
      ...(command.count === undefined ? {} : { maxPayments: command.count }),
    },
    { fetch, log },
  );
  const server = await startObservabilityServer({ port: config.metricsPort, registry });
  const shutdown = createGracefulShutdown({
    logger: createConsoleLogger('info'),
    // keep a failure already recorded (rejected payments) when the shutdown itself went fine
    exit: (code) => {
      if (code !== 0) process.exitCode = code;
    },
  });
  shutdown.add('observability server', () => server.close());
  shutdown.add('live sender', async () => sender.stop());
  let reported = { sent: 0, accepted: 0, rejected: 0, failed: 0 };
  const progress = setInterval(() => {
    const s = sender.stats;
    metrics.eventsOut.inc({ topic: 'gateway' }, s.accepted - reported.accepted);
    metrics.eventsFailed.inc({ topic: 'gateway', reason: 'rejected' }, s.rejected - reported.rejected);
    metrics.eventsFailed.inc({ topic: 'gateway', reason: 'failed' }, s.failed - reported.failed);
    log(
      `live: ${s.sent} sent (${((s.sent - reported.sent) / 5).toFixed(1)}/s), ${s.accepted} accepted, ${s.rejected} rejected, ${s.failed} failed, ${s.retries} retries, ${s.inFlight} in flight, ${s.fraud} fraud injected`,
    );
    reported = { ...s };
  }, 5000);
  log(
    `live: seed ${command.seed}, ${command.cards} cards, ${command.rate}/s to ${config.gatewayUrl}, metrics on :${server.port}`,
  );
  try {
    const stats = await sender.run(
      liveStream({
        seed: command.seed,
        cards: command.cards,
        startMs: Date.now(),
        fraudPerCardDay: command.fraudPerCardDay,
        warmupMs: 10 * 60_000,
      }),
    );
    log(
      `live: stopped after ${stats.sent} payments (${stats.accepted} accepted, ${stats.rejected} rejected, ${stats.failed} failed)`,
    );
    if (stats.rejected > 0 || stats.failed > 0) process.exitCode = 1;
  } finally {
    clearInterval(progress);
    await shutdown.shutdown('finished');
  }
}
