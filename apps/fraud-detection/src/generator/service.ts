import { defineService } from '@streamkit/runtime';
import { createPipelineMetrics } from '@streamkit/telemetry';
import type { GeneratorCommand } from './cli-args.ts';
import { generatorConfigSpec } from './config.ts';
import { createLiveSender } from './live-sender.ts';
import { liveStream } from './live-stream.ts';

type LiveCommand = Extract<GeneratorCommand, { mode: 'live' }>;

const PROGRESS_MS = 5000;

/**
 * The generator's `live` mode: payments to the gateway at a fixed rate, progress every 5 s, until
 * stopped or `--count` payments were sent (`parts.finished` then resolves with the totals).
 */
export function liveGeneratorService(command: LiveCommand, log: (line: string) => void) {
  return defineService({
    name: 'fraud-generator',
    config: generatorConfigSpec,
    checkConfig: (config) =>
      config.gatewayApiKey === undefined ? ['GATEWAY_API_KEY is required in live mode'] : [],
    async start({ config, registry, acquire, every }) {
      const metrics = createPipelineMetrics(registry);
      const sender = createLiveSender(
        {
          gatewayUrl: config.gatewayUrl,
          apiKey: config.gatewayApiKey ?? '',
          ratePerSecond: command.rate,
          maxInFlight: command.maxInFlight,
          ...(command.count === undefined ? {} : { maxPayments: command.count }),
        },
        { fetch, log },
      );
      let reported = { sent: 0, accepted: 0, rejected: 0, failed: 0 };
      every('progress', PROGRESS_MS, async () => {
        const s = sender.stats;
        metrics.eventsOut.inc({ topic: 'gateway' }, s.accepted - reported.accepted);
        metrics.eventsFailed.inc({ topic: 'gateway', reason: 'rejected' }, s.rejected - reported.rejected);
        metrics.eventsFailed.inc({ topic: 'gateway', reason: 'failed' }, s.failed - reported.failed);
        log(
          `live: ${s.sent} sent (${((s.sent - reported.sent) / (PROGRESS_MS / 1000)).toFixed(1)}/s), ${s.accepted} accepted, ${s.rejected} rejected, ${s.failed} failed, ${s.retries} retries, ${s.inFlight} in flight, ${s.fraud} fraud injected`,
        );
        reported = { ...s };
      });
      log(`live: seed ${command.seed}, ${command.cards} cards, ${command.rate}/s to ${config.gatewayUrl}`);
      // wrapped: acquire awaits what `open` returns, and the run lasts until stopped
      const { finished } = await acquire(
        'live sender',
        () => ({
          finished: sender.run(
            liveStream({
              seed: command.seed,
              cards: command.cards,
              startMs: Date.now(),
              fraudPerCardDay: command.fraudPerCardDay,
              warmupMs: 10 * 60_000,
              clock: Date.now,
            }),
          ),
        }),
        async (run) => {
          sender.stop();
          await run.finished;
        },
      );
      return { metrics: { port: config.metricsPort, checks: {} }, parts: { finished } };
    },
  });
}
