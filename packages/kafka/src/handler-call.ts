import type { PipelineMetrics } from '@streamkit/telemetry';
import type { Entry, RawRecord } from './entries.ts';
import { validMessages } from './entries.ts';
import { HandlerError } from './errors.ts';
import type { Logger } from './logger.ts';
import type { IncomingMessage } from './types.ts';

/**
 * Calls the user's code (runConsumer's handler, runTransactionalProcessor's `process`) on the valid
 * records of a run, timing it; a failure counts as handler_error and is thrown as HandlerError,
 * the only failure the retries and poison isolation act on.
 */
export async function callHandler<T>(
  topic: string,
  partition: number,
  entries: readonly Entry<T>[],
  metrics: PipelineMetrics | undefined,
  handle: (valid: IncomingMessage<T>[]) => Promise<void>,
): Promise<void> {
  const valid = validMessages(entries);
  if (valid.length === 0) return;
  const started = performance.now();
  try {
    await handle(valid);
  } catch (error) {
    metrics?.eventsFailed.inc({ topic, reason: 'handler_error' }, valid.length);
    throw new HandlerError(
      topic,
      partition,
      valid.map((m) => m.offset),
      error,
    );
  }
  metrics?.processingSeconds.observe({ topic }, (performance.now() - started) / 1000);
}

/** Logs that `raw` goes to the DLQ as unprocessable, and returns the reason its DLQ record carries. */
export function quarantineReason(raw: RawRecord, error: HandlerError, logger: Logger): string {
  const reason = error.cause instanceof Error ? error.cause.message : String(error.cause);
  logger.warn(`dead-lettering ${raw.topic}[${raw.partition}]@${raw.offset}: ${reason}`);
  return reason;
}
