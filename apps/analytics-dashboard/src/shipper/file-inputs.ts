import type { CheckpointStore } from './checkpoint-store.ts';
import { ShipperSettingsError } from './errors.ts';
import { createFileTailer, type TailerSettings } from './file-tailer.ts';
import type { LineSender } from './line-sender.ts';

export interface FileInputSettings extends TailerSettings {
  readonly paths: readonly string[];
  /** how often to look for appended lines when the last look found none */
  readonly pollIntervalMs: number;
}

export interface RunningFileInputs {
  /** Finishes the batch in flight and stops. Idempotent. */
  stop(): Promise<void>;
  /** Settles when stopped; rejects when tailing failed for good (e.g. the checkpoint cannot be written). */
  readonly done: Promise<void>;
}

/** Tails every path, one after another in a loop (one batch in flight at a time bounds memory). */
export function startFileInputs(
  sender: LineSender,
  checkpoints: CheckpointStore,
  settings: FileInputSettings,
  onError: (error: unknown) => void = () => {},
): RunningFileInputs {
  if (settings.pollIntervalMs < 1) throw new ShipperSettingsError('pollIntervalMs must be at least 1');
  if (settings.maxBatchLines < 1) throw new ShipperSettingsError('maxBatchLines must be at least 1');
  if (settings.readChunkBytes < 4096) throw new ShipperSettingsError('readChunkBytes must be at least 4096');
  const tailers = settings.paths.map((path) =>
    createFileTailer(path, checkpoints, (lines) => sender.send(lines, 'file').then(() => {}), settings),
  );
  let stopping = false;
  let wake: (() => void) | undefined;

  async function loop(): Promise<void> {
    let failures = 0;
    while (!stopping) {
      let shipped = 0;
      try {
        for (const tailer of tailers) shipped += await tailer.poll();
        failures = 0;
      } catch (error) {
        // Kafka down or a file briefly unreadable: the checkpoint did not move, so try again later
        onError(error);
        failures++;
      }
      if (shipped === 0 && !stopping) {
        const delay = Math.min(settings.pollIntervalMs * 2 ** failures, 5_000);
        await new Promise<void>((resolve) => {
          wake = resolve;
          setTimeout(resolve, delay).unref();
        });
      }
    }
    await Promise.all(tailers.map((t) => t.close()));
  }

  const done = loop();
  return {
    async stop() {
      stopping = true;
      wake?.();
      await done;
    },
    done,
  };
}
